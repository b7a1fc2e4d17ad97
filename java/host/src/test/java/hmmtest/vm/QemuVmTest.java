package hmmtest.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class QemuVmTest {

    private QemuVm vm(Accelerator.Choice accel) {
        return new QemuVm(new QemuVm.Config(Path.of("/k/bzImage"), Path.of("/k/initrd"), accel, 2, 2048,
                List.of("console=ttyS0", "panic=-1"), Path.of("/tmp/run")));
    }

    @Test
    void tcgCommandLineHasNoNetworkNoRebootAndTheResultPort() {
        List<String> cmd = vm(new Accelerator.Choice("tcg", "test")).commandLine();
        assertThat(String.join(" ", cmd))
                .contains("-accel tcg,thread=multi")
                .contains("-no-reboot")
                .contains("-nic none")
                .contains("-append console=ttyS0 panic=-1")
                .contains("virtserialport,chardev=results,name=hmmtest.results")
                .contains("file,id=results,path=/tmp/run/results.log")
                .doesNotContain("-cpu host");
    }

    @Test
    void kvmUsesTheHostCpu() {
        assertThat(String.join(" ", vm(new Accelerator.Choice("kvm", "test")).commandLine()))
                .contains("-accel kvm").contains("-cpu host");
    }

    @Test
    void shellQuotingKeepsTheCommandPasteable() {
        assertThat(QemuVm.shellQuote(List.of("qemu", "-append", "console=ttyS0 panic=-1", "it's")))
                .isEqualTo("qemu -append 'console=ttyS0 panic=-1' 'it'\\''s'");
    }
}
