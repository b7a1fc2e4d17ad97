package hmmtest.session;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.infra.ExitCode;
import hmmtest.pipeline.ResultFiles;
import hmmtest.results.TestOutcome;
import hmmtest.results.TestStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A kernel that never reached the harness is a boot failure (4), unless a test crashed the kernel before. */
class BootFailureExitCodeTest {
    private static CrashRecord crash(String test, int vm, String title) {
        return new CrashRecord(test, vm, "PANIC", title, List.of(), true, false, "", "", List.of(title), List.of(), 1.0);
    }

    @Test
    void aPanicWhileBootingIsExit4AndStaysACrashPinnedOnNoTest() {
        SessionResults r = new SessionResults();
        r.crashes.add(crash(null, 1, "kernel panic: Requested init /nonexistent failed (error -2)."));
        r.bootFailure = new SessionResults.BootFailure(1, "kernel panic: ...", List.of("Kernel panic"), "console.log");
        r.incomplete = "VM 1: the kernel never reached the guest harness: kernel panic: ...";
        assertThat(ResultFiles.exitCode(r)).isEqualTo(ExitCode.INCOMPLETE);
    }

    @Test
    void aTestThatCrashedTheKernelBeforeStillMakesItExit3() {
        SessionResults r = new SessionResults();
        r.plan.addAll(List.of("a.one", "a.two"));
        r.outcomes.put("a.one", new TestOutcome("a.one", TestStatus.CRASHED, 10, "BUG: in x"));
        r.crashes.add(crash("a.one", 1, "BUG: in x"));
        r.crashes.add(crash(null, 2, "kernel panic: while booting"));
        r.bootFailure = new SessionResults.BootFailure(2, "kernel panic: while booting", List.of(), "console.log");
        r.outcomes.put("a.two", new TestOutcome("a.two", TestStatus.NOT_RUN, 0, "not run"));
        assertThat(ResultFiles.exitCode(r)).isEqualTo(ExitCode.KERNEL_CRASH);
    }
}
