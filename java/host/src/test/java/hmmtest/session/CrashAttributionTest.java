package hmmtest.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Console orders of markers and reports, as they reach the host, and whom each pins. */
class CrashAttributionTest {

    @Test
    void aCrashDuringATestIsPinnedOnIt() {
        CrashAttribution a = new CrashAttribution();
        a.marker(true, "t.a");
        a.marker(false, "t.a");
        a.marker(true, "t.b");
        a.reportStarted();
        a.reportCompleted(false);
        assertThat(a.inReport()).isTrue();
        assertThat(a.victim("t.b")).isEqualTo("t.b");
        assertThat(a.startedAfterReport()).isEmpty();
    }

    @Test
    void aCrashBetweenTestsIsPinnedOnNoTestEvenIfTheResultChannelSaysOtherwise() {
        CrashAttribution a = new CrashAttribution();
        a.marker(true, "t.a");
        a.marker(false, "t.a");
        a.reportStarted();
        a.marker(true, "t.b"); // the guest went on for a moment on a broken kernel
        a.reportCompleted(false);
        assertThat(a.victim("t.b")).isNull();
        assertThat(a.startedAfterReport()).containsExactly("t.b");
    }

    /**
     * Issue 14: a hung task is titled from its stack only when the report is complete; if that
     * title is a known issue, the session must go on as if no report began. It used to keep the
     * per-test timeout off for the rest of the VM and drop every later test's outcome.
     */
    @Test
    void aReportThatTurnsOutToBeAKnownIssueChangesNothing() {
        CrashAttribution a = new CrashAttribution();
        a.marker(true, "t.a");
        a.reportStarted(); // "INFO: task hung" without its stack yet
        a.reportCompleted(true); // complete: "INFO: task hung in <known frame>"
        a.marker(false, "t.a");
        a.marker(true, "t.b");
        a.marker(false, "t.b");
        a.marker(true, "t.c");
        assertThat(a.inReport()).as("per-test timeout stays on").isFalse();
        assertThat(a.startedAfterReport()).as("later outcomes kept").isEmpty();
        assertThat(a.victim("t.c")).isEqualTo("t.c");
    }

    @Test
    void aKnownIssueAfterARealCrashDoesNotUndoTheCrash() {
        CrashAttribution a = new CrashAttribution();
        a.marker(true, "t.a");
        a.reportStarted();
        a.reportCompleted(false);
        a.reportStarted();
        a.reportCompleted(true);
        assertThat(a.inReport()).isTrue();
        assertThat(a.victim(null)).isEqualTo("t.a");
    }

    @Test
    void withoutAReportTheTestInFlightIsTheVictimOfAHang() {
        CrashAttribution a = new CrashAttribution();
        a.marker(true, "t.a");
        assertThat(a.victim("t.a")).isEqualTo("t.a");
        assertThat(a.victim(null)).isEqualTo("t.a"); // console ahead of the result channel
        assertThat(a.startedAfterReport()).isEmpty();
    }
}
