package hmmtest.differential;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.protocol.ResultRecord;
import hmmtest.protocol.ResultRecord.Kind;
import org.junit.jupiter.api.Test;

/** What the host knows of a fuzz run from the guest's records, finished or cut short by a crash. */
class FuzzLogTest {

    private static FuzzLog mainRunCutShortByACrash() {
        FuzzLog log = new FuzzLog();
        log.apply(ResultRecord.of(Kind.INFO, "abi", "V6_12"));
        log.apply(ResultRecord.of(Kind.FUZZ, "seq", "0", "FUZZ"));
        for (int i = 0; i < 300; i++) {
            log.apply(ResultRecord.of(Kind.FUZZ, "act", Integer.toString(i), "open fd=1 dev=0"));
        }
        log.apply(ResultRecord.of(Kind.FUZZ, "prog", "300", "1", "0", "1.6", "187"));
        log.apply(ResultRecord.of(Kind.FUZZ, "seq", "1", "FUZZ"));
        for (int i = 0; i < 12; i++) {
            log.apply(ResultRecord.of(Kind.FUZZ, "act", Integer.toString(i), "open fd=1 dev=0"));
        }
        return log; // the kernel died during the 12th action of the second sequence
    }

    /** Issue 14: the totals read the progress record with the final record's field numbers. */
    @Test
    void afterACrashTheRunsActionsAndRateComeFromWhatTheGuestSent() {
        FuzzLog log = mainRunCutShortByACrash();
        assertThat(log.actions()).as("every action of the run, not the crashing sequence's 12").isEqualTo(312);
        assertThat(log.actionsPerSecond()).as("the last progress report's rate, not 0").isEqualTo(187.0);
        assertThat(log.stopReason()).isNull();
        assertThat(log.sequence).hasSize(12);
    }

    @Test
    void aFinishedRunTakesTheGuestsTotals() {
        FuzzLog log = mainRunCutShortByACrash();
        log.apply(ResultRecord.of(Kind.FUZZ, "stat", "10000", "34", "0", "0", "0", "52.3", "191", "action budget spent"));
        assertThat(log.actions()).isEqualTo(10000);
        assertThat(log.actionsPerSecond()).isEqualTo(191.0);
        assertThat(log.stopReason()).isEqualTo("action budget spent");
    }

    @Test
    void shrinkAndReplaySequencesAreNotTheRunsActions() {
        FuzzLog log = mainRunCutShortByACrash();
        log.apply(ResultRecord.of(Kind.FUZZ, "seq", "2", "SHRINK"));
        log.apply(ResultRecord.of(Kind.FUZZ, "act", "0", "open fd=1 dev=0"));
        assertThat(log.actions()).isEqualTo(312);
    }
}
