package hmmtest.differential;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.model.Action;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlicesTest {
    private static List<Action> parse(String... lines) {
        return java.util.Arrays.stream(lines).map(Action::parse).toList();
    }

    @Test
    void causalSliceKeepsTheMappingAndTheFdTheCrashingIoctlStandsOn() {
        List<Action> seq = parse(
                new Action.Mmap(7, 64, hmmtest.model.Prot.RW, hmmtest.model.MapKind.ANON_PRIVATE, false, -1).toText(),
                new Action.Mmap(3, 8, hmmtest.model.Prot.RW, hmmtest.model.MapKind.ANON_PRIVATE, false, -1).toText(),
                new Action.Open(1, 1).toText(),
                new Action.Open(2, 0).toText(),
                new Action.CpuWrite(7, 3, 42).toText(),
                new Action.Mprotect(7, 0, 64, hmmtest.model.Prot.RW).toText(),
                new Action.Munmap(3, 0, 8).toText(),
                "ioctl fd=2 cmd=EXCLUSIVE map=7 page=3 npages=1");
        List<String> causal = Slices.causal(seq).stream().map(Action::toText).toList();
        assertThat(causal).hasSize(4);
        assertThat(causal.get(0)).startsWith("mmap id=7");
        assertThat(causal.get(1)).isEqualTo("open fd=2 dev=0");
        assertThat(causal.get(2)).startsWith("mprotect map=7");
        assertThat(causal.get(3)).startsWith("ioctl fd=2 cmd=EXCLUSIVE map=7");
        assertThat(Slices.touching(seq)).hasSize(5);
        List<String> core = Slices.core(seq).stream().map(Action::toText).toList();
        assertThat(core).hasSize(3);
        assertThat(core.get(0)).contains("prot=RW");
    }
}
