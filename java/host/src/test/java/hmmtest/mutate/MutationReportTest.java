package hmmtest.mutate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MutationReportTest {
    static MutationRun.Judged judged(int id, MutationRun.Verdict v, String detail) {
        Mutant m = new Mutant(id, "lib/test_hmm.c", 3, "relational >= -> >", "\tif (a >= b)", "\tif (a > b)");
        return new MutationRun.Judged(m, v, detail, 60, m.diff(List.of("x", "y", "\tif (a >= b)", "z")));
    }

    @Test
    void survivorsComeFirstWithTheirDiffAndTheScoreCountsTimeoutsAsDetected() {
        MutationReport r = new MutationReport("merged+series", Path.of("/r"), List.of(
                judged(1, MutationRun.Verdict.KILLED, "badargs.x: PASS -> FAIL"),
                judged(2, MutationRun.Verdict.SURVIVED, ""),
                judged(3, MutationRun.Verdict.TIMED_OUT, "whole-run deadline"),
                judged(4, MutationRun.Verdict.NOT_COMPILED, "kernel build failed"),
                judged(5, MutationRun.Verdict.NOT_JUDGED, "outside the budget")), 360);
        assertThat(r.score()).isEqualTo(2.0 / 3);
        assertThat(r.perHour()).isEqualTo(40.0); // 4 built in 360 s
        String text = r.text();
        assertThat(text).startsWith("mutation score of merged+series: 67% (1 killed, 1 timed out, 1 survived; 1 did not"
                + " compile, 1 not judged");
        assertThat(text.indexOf("SURVIVED")).isLessThan(text.indexOf("KILLED: mutant 1"));
        assertThat(text).contains("+\tif (a > b)").contains("badargs.x: PASS -> FAIL");
    }
}
