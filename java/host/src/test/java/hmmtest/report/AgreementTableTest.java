package hmmtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.results.Ktap;
import hmmtest.results.TestOutcome;
import hmmtest.results.TestStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgreementTableTest {

    @Test
    void sameVerdictsAgreeAndAnyFailureMatchesUpstreamFail() {
        List<Ktap.Result> up = Ktap.parse(List.of("ok 1 hmm.a", "not ok 2 hmm.b", "ok 3 hmm.c # SKIP x",
                "ok 4 hmm.d", "ok 5 hmm.e"));
        List<TestOutcome> ours = List.of(new TestOutcome("hmm.a", TestStatus.PASS, 1, ""),
                new TestOutcome("hmm.b", TestStatus.CRASHED, 1, "oops"),
                new TestOutcome("hmm.c", TestStatus.SKIP, 0, ""),
                new TestOutcome("hmm.d", TestStatus.FAIL, 1, ""));
        List<AgreementTable.Row> rows = AgreementTable.rows(up, ours);
        assertThat(rows).extracting(AgreementTable.Row::agree).containsExactly(true, true, true, false, false);
        assertThat(AgreementTable.render(rows)).contains("5 tests, 3 agree, 2 disagree")
                .contains("hmm.e").contains("(none)").contains("<< DISAGREE");
    }
}
