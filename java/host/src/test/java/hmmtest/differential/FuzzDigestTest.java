package hmmtest.differential;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.protocol.ResultRecord;
import hmmtest.protocol.ResultRecord.Kind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FuzzDigestTest {

    private static String fuzz(String... f) {
        return ResultRecord.of(Kind.FUZZ, f).encode();
    }

    private static List<String> run(String rate, String progress, boolean shrinkVariant) {
        List<String> l = new ArrayList<>();
        l.add(ResultRecord.of(Kind.INFO, "fuzz-seed", "1").encode());
        l.add(fuzz("seq", "0", "FUZZ"));
        l.add(fuzz("act", "0", "open fd=0 dev=0"));
        l.add(fuzz("prog", progress, "1", "0", "1.0", rate));
        l.add(fuzz("act", "1", "ioctl fd=0 cmd=READ map=1 page=0 npages=1"));
        l.add(fuzz("div", "div-s1-q0-a1", "0", "1", "ioctl ...", "pred", "obs", "diff", "READ: cpages", "a\nb"));
        // shrink candidates are timing-bound (a time budget): never part of the trace
        l.add(fuzz("seq", "1", "SHRINK"));
        l.add(fuzz("act", "0", shrinkVariant ? "close fd=0" : "ioctl fd=0 cmd=READ map=1 page=0 npages=1"));
        l.add(fuzz("seq", "2", "FUZZ"));
        l.add(fuzz("act", "0", "open fd=1 dev=1"));
        l.add(ResultRecord.of(Kind.INFO, "fuzz-profile", "3 actions in 1.0 s; per action us: generate 5").encode());
        l.add(fuzz("stat", "3", "2", "1", "1", "1", "1.0", rate, "action budget spent"));
        return l;
    }

    @Test
    void theVerdictIgnoresRatesProgressAndShrinkCandidates() {
        FuzzDigest a = FuzzDigest.of(run("300", "1", false));
        FuzzDigest b = FuzzDigest.of(run("1200", "2", true));
        assertThat(a.verdict()).isEqualTo(b.verdict())
                .isEqualTo("actions 3, sequences 2, divergences 1 (1 distinct: READ: cpages), action budget spent, trace "
                        + a.trace());
        assertThat(a.actionsPerSecond()).isEqualTo(300);
        assertThat(b.actionsPerSecond()).isEqualTo(1200);
        assertThat(b.profile()).startsWith("3 actions in 1.0 s");
    }

    @Test
    void anotherActionChangesTheTrace() {
        List<String> l = run("300", "1", false);
        l.set(2, fuzz("act", "0", "open fd=0 dev=1"));
        assertThat(FuzzDigest.of(l).trace()).isNotEqualTo(FuzzDigest.of(run("300", "1", false)).trace());
    }

    @Test
    void aRunWithoutTotalsSaysSo() {
        List<String> l = run("300", "1", false);
        l.remove(l.size() - 1);
        FuzzDigest d = FuzzDigest.of(l);
        assertThat(d.stopReason()).isNull();
        assertThat(d.verdict()).contains("no totals");
        assertThat(d.divergences()).isEqualTo(1);
    }
}
