package hmmtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import hmmtest.results.TestStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSetTest {

    @Test
    void aCrashAndAFailureOnlyOnThePatchedKernelAreNew() {
        RunSet set = Fixtures.withBase("base", "patched");
        Comparison c = set.comparison(1).orElseThrow();
        assertThat(c.newFailures()).extracting(Comparison.Row::test).containsExactly(
                "hmm.hmm_device_private.anon_write_huge", "hmm.hmm_device_private.exclusive");
        assertThat(c.newCrashes()).extracting(RunReport.Crash::title)
                .containsExactly("BUG: kernel NULL pointer dereference in make_device_exclusive");
        assertThat(set.comparison(0)).isEmpty();
        assertThat(set.verdict()).isEqualTo(Verdict.CRASH_IN_PATCHED);
        assertThat(set.verdict().exitCode.code).isEqualTo(3);
    }

    @Test
    void theSameResultsOnBothSidesAreNothingNew() {
        RunSet set = Fixtures.withBase("patched", "fuzz");
        assertThat(set.comparison(1).orElseThrow().newFailures()).isEmpty();
        assertThat(set.comparison(1).orElseThrow().newCrashes()).isEmpty();
        assertThat(set.verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void whatThePatchesFixIsCountedButNeverFails() {
        RunSet set = Fixtures.withBase("fuzz", "base");
        assertThat(set.comparison(1).orElseThrow().rows()).filteredOn(Comparison.Row::fixed)
                .extracting(Comparison.Row::test)
                .containsExactly("hmm.hmm_device_private.anon_write_huge", "hmm.hmm_device_private.exclusive");
        assertThat(set.verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void aNewFailureWithoutACrashIsNewFailures(@TempDir Path dir) throws Exception {
        ObjectNode r = (ObjectNode) Json.MAPPER.readTree(Fixtures.dir("base").resolve("results.json").toFile());
        r.put("variant", "patched");
        ((ObjectNode) r.withArray("tests").get(2)).put("status", "FAIL").put("message", "expected 0x5a, read 0x00");
        Json.MAPPER.writeValue(dir.resolve("results.json").toFile(), r);
        RunSet set = RunSet.of(List.of(Fixtures.run("base"), RunReport.read(dir)), Optional.of(0));
        assertThat(set.comparison(1).orElseThrow().newFailures()).extracting(Comparison.Row::test)
                .containsExactly("hmm.hmm_device_private.anon_write");
        assertThat(set.verdict()).isEqualTo(Verdict.NEW_FAILURES);
        assertThat(set.verdict().exitCode.code).isEqualTo(1);
    }

    @Test
    void testsThatDidNotRunMakeTheRunIncompleteNotFailed() {
        RunSet set = Fixtures.withBase("base", "deadline");
        Comparison c = set.comparison(1).orElseThrow();
        assertThat(c.rows()).filteredOn(r -> r.patched() == TestStatus.NOT_RUN).hasSize(4)
                .noneMatch(Comparison.Row::newFailure);
        assertThat(set.verdict()).isEqualTo(Verdict.CRASH_IN_PATCHED); // the crash still counts

        assertThat(Fixtures.withBase("base", "cut-short").verdict()).isEqualTo(Verdict.INCOMPLETE);
        assertThat(Fixtures.withBase("cut-short", "base").verdict()).isEqualTo(Verdict.INCOMPLETE);
    }

    @Test
    void withoutABaseEveryFailureIsNewAndLabelsStayUnique() {
        RunSet set = Fixtures.withoutBase("base", "patched", "patched");
        assertThat(set.label(1)).isEqualTo("patched");
        assertThat(set.label(2)).isEqualTo("patched-2");
        assertThat(set.patchedIndexes()).containsExactly(0, 1, 2);
        assertThat(set.newFailure(0, "hmm.hmm_device_private.exclusive")).isFalse();
        assertThat(set.newFailure(2, "hmm.hmm_device_private.exclusive")).isTrue();
        assertThat(set.verdict()).isEqualTo(Verdict.CRASH_IN_PATCHED);
        assertThat(Fixtures.withoutBase("base").verdict()).isEqualTo(Verdict.PASS);
    }
}
