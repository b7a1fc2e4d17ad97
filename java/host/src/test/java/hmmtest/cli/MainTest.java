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
}
