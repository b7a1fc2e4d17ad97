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

    private static QemuVm serveVm(String dir, QemuVm.GuestRam ram, Path incoming) {
        return new QemuVm(new QemuVm.Config(Path.of("/k/bzImage"), Path.of("/k/initrd"),
                new Accelerator.Choice("tcg", "test"), 2, 2048, List.of("console=ttyS0", "hmmtest.serve=1"),
                Path.of(dir), ram, incoming));
    }

    @Test
    void theVmSavedAndTheVmRestoredHaveOneIdentityWhateverTheirOwnPaths() {
        QemuVm saving = serveVm("/tmp/a", new QemuVm.GuestRam(Path.of("/cache/snapshots/k.tmp-1/ram"), true), null);
        QemuVm restoring = serveVm("/tmp/b", new QemuVm.GuestRam(Path.of("/cache/snapshots/k/ram"), false),
                Path.of("/cache/snapshots/k/vm.state"));
        List<String> a = saving.identity();
        List<String> b = restoring.identity();
        // The restore's only extra: where its state comes from. Everything the guest sees is equal.
        assertThat(b.subList(0, a.size())).isEqualTo(a);
        assertThat(b.subList(a.size(), b.size())).containsExactly("-incoming", "defer");
        assertThat(String.join(" ", a)).doesNotContain("/tmp/a").doesNotContain("k.tmp-1")
                .contains("memory-backend-file,id=ram0,size=2048M,mem-path=<ram>,share=on")
                .contains("pc,memory-backend=ram0");
    }

    @Test
    void aRestoredVmMapsTheSnapshotsMemoryCopyOnWrite() {
        String cmd = String.join(" ", serveVm("/tmp/b", new QemuVm.GuestRam(Path.of("/c/k/ram"), false),
                Path.of("/c/k/vm.state")).commandLine());
        assertThat(cmd).contains("mem-path=/c/k/ram,share=off").contains("-incoming defer");
    }

    @Test
    void aDifferentKernelArgumentIsADifferentIdentity() {
        QemuVm other = new QemuVm(new QemuVm.Config(Path.of("/k/bzImage"), Path.of("/k/initrd"),
                new Accelerator.Choice("tcg", "test"), 2, 2048, List.of("console=ttyS0", "hmmtest.serve=1",
                "transparent_hugepage=never"), Path.of("/tmp/a"), new QemuVm.GuestRam(Path.of("/r"), true), null));
        assertThat(other.identity()).isNotEqualTo(serveVm("/tmp/a", new QemuVm.GuestRam(Path.of("/r"), true), null)
                .identity());
    }
}
