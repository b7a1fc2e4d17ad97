package hmmtest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    @Test
    void everyCommandAnswersHelpAndTheExitCodesAreListed() {
        CommandLine cl = new CommandLine(new Main());
        assertThat(cl.getSubcommands().keySet()).contains("run", "kernel", "kernels", "clean-kernels", "validate",
                "smoke", "bench-boot", "bench-read");
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            for (String sub : cl.getSubcommands().keySet()) {
                assertThat(Main.execute(sub, "--help")).as(sub + " --help").isZero();
            }
            assertThat(Main.execute("--help")).isZero();
        } finally {
            System.setOut(out);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("Exit codes:").contains("--debian-version");
    }

    @Test
    void unknownOptionsAreUsageErrors() {
        PrintStream err = System.err;
        try {
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertThat(Main.execute("run", "--no-such-option")).isEqualTo(2);
        } finally {
            System.setErr(err);
        }
    }

    /** A replay of a file that is not there stops before anything is built or booted. */
    @Test
    void aMissingReplayFileIsAUsageError() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertThat(Main.execute("fuzz", "--replay", "/nonexistent/div.actions")).isEqualTo(2);
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("--replay: no such file: /nonexistent/div.actions");
    }

    /** Bad choices and budgets are refused at once (exit 2, the valid choices named), before any build or boot. */
    @Test
    void badChoicesAndBudgetsAreUsageErrorsBeforeAnythingIsBuilt() {
        String[][] cases = {
                {"run", "--thp", "bogus"},
                {"run", "--accel", "foo"},
                {"smoke", "--thp", "sometimes"},
                {"fuzz", "--actions", "-5"},
                {"fuzz", "--seconds", "0"},
                {"fuzz", "--accel", "foo"},
                {"run", "--kernel", "/nonexistent/bzImage"},
                {"run", "--select", "nomatch.*"},
                {"validate", "--variants", "merged", "--select", "hmm.hmm_device_private.anon_raed"},
                {"fuzz", "--shrink-minutes", "0"},
                {"validate", "--variants", "merged", "--fuzz-seconds", "-1"},
                {"validate", "--variants", "merged", "--bisect-runs", "0"},
                {"validate", "--variants", "merged", "--thp", "bogus"},
        };
        String[] expected = {"always, madvise, never", "auto, kvm, tcg", "always, madvise, never", "--actions must be a positive",
                "--seconds must be a positive", "auto, kvm, tcg", "needs both --kernel BZIMAGE and --module",
                "matches none of the", "Groups: badargs.*", "--shrink-minutes must be a positive",
                "--fuzz-seconds must be 0", "--bisect-runs must be a positive", "always, madvise, never"};
        PrintStream err = System.err;
        try {
            for (int i = 0; i < cases.length; i++) {
                ByteArrayOutputStream captured = new ByteArrayOutputStream();
                System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
                long start = System.nanoTime();
                assertThat(Main.execute(cases[i])).as(String.join(" ", cases[i])).isEqualTo(2);
                assertThat((System.nanoTime() - start) / 1e9).as("seconds to refuse " + String.join(" ", cases[i])).isLessThan(10);
                assertThat(captured.toString(StandardCharsets.UTF_8)).as(String.join(" ", cases[i])).contains(expected[i]);
            }
        } finally {
            System.setErr(err);
        }
    }
}
