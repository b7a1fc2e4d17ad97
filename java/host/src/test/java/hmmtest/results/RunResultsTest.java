package hmmtest.results;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.protocol.ResultRecord;
import hmmtest.protocol.ResultRecord.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunResultsTest {

    @Test
    void assemblesPhasesTestsAndTheTestInFlight() {
        RunResults r = new RunResults();
        List<TestOutcome> live = new ArrayList<>();
        r.apply(ResultRecord.of(Kind.PHASE, "init", "2.24"), Duration.ofMillis(3000), live::add);
        r.apply(ResultRecord.of(Kind.INFO, "abi", "V7_3"), Duration.ZERO, live::add);
        r.apply(ResultRecord.of(Kind.START, "hmm.a"), Duration.ZERO, live::add);
        r.apply(ResultRecord.of(Kind.END, "hmm.a", "PASS", "12", ""), Duration.ZERO, live::add);
        r.apply(ResultRecord.of(Kind.START, "hmm.b"), Duration.ZERO, live::add);

        assertThat(r.phases().get("init").guestSeconds()).isEqualTo(2.24);
        assertThat(r.phases().get("init").hostSeconds()).isEqualTo(3.0);
        assertThat(r.info()).containsEntry("abi", "V7_3");
        assertThat(live).extracting(TestOutcome::id).containsExactly("hmm.a");
        assertThat(r.inFlight()).isEqualTo("hmm.b");
        assertThat(r.guestExit()).isNull();

        r.put(new TestOutcome("hmm.b", TestStatus.CRASHED, -1, "guest died"));
        assertThat(r.inFlight()).isNull();
        assertThat(r.count(TestStatus.CRASHED)).isEqualTo(1);
    }

    @Test
    void unknownStatusIsAnErrorNotAPass() {
        RunResults r = new RunResults();
        r.apply(ResultRecord.of(Kind.END, "t", "WEIRD", "x", "m"), Duration.ZERO, o -> { });
        assertThat(r.tests().get(0).status()).isEqualTo(TestStatus.ERROR);
        assertThat(TestStatus.ERROR.bad()).isTrue();
    }
}
