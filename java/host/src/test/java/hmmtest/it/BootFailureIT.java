package hmmtest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmmtest.cli.Main;
import hmmtest.infra.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A kernel that never reaches the guest harness: the real merged bzImage told to run an init
 * that does not exist (hidden --kernel-arg), so it panics right after unpacking the image.
 * run, smoke and fuzz must each end well within the boot timeout (120 s under TCG), say that
 * the kernel never reached the harness with the console lines that show the panic, exit 4 (a
 * boot failure), and fuzz must not try to shrink anything.
 */
class BootFailureIT {
    private static final String[] PANIC = {"--kernel-arg", "init=/nonexistent", "--kernel-arg", "rdinit=/nonexistent"};
    private static final String CONSOLE = "Kernel panic - not syncing: Requested init /nonexistent failed";
    private static final Path BASE = Path.of("target/it-results/boot-failure").toAbsolutePath();

    private static ChildCli.Result cli(String command, String... more) throws Exception {
        assertThat(Main.execute("kernel", "--variant", "merged")).isZero(); // built or found before the clock starts
        String[] args = new String[more.length + PANIC.length + 5];
        args[0] = command;
        args[1] = "--variant";
        args[2] = "merged";
        System.arraycopy(PANIC, 0, args, 3, PANIC.length);
        System.arraycopy(more, 0, args, 3 + PANIC.length, more.length);
        args[args.length - 2] = "--results-dir";
        args[args.length - 1] = BASE.resolve(command).toString();
        return ChildCli.run(Map.of(), BASE.resolve(command + ".log"), Duration.ofMinutes(4), args);
    }

    @Test
    void runAndSmokeEndAtOnceWithTheConsoleExcerptAndExit4() throws Exception {
        for (String command : new String[] {"run", "smoke"}) {
            ChildCli.Result r = cli(command);
            assertThat(r.exit()).as("%s exit code; output:\n%s", command, r.output()).isEqualTo(ExitCode.INCOMPLETE.code);
            assertThat(r.seconds()).as("%s wall seconds (boot timeout 120)", command).isLessThan(60);
            assertThat(r.output()).contains("the kernel never reached the guest harness: kernel panic: Requested init"
                    + " /nonexistent failed").contains("| " + CONSOLE);
            JsonNode json = new ObjectMapper().readTree(BASE.resolve(command).resolve("results.json").toFile());
            assertThat(json.path("exitCode").asInt()).isEqualTo(ExitCode.INCOMPLETE.code);
            assertThat(json.path("incomplete").asText()).contains("never reached the guest harness");
            assertThat(json.path("bootFailure").path("reason").asText()).startsWith("kernel panic: Requested init");
            assertThat(json.path("bootFailure").path("excerpt").toString()).contains(CONSOLE);
            // the panic is kept as a crash pinned on no test (validate tells a kernel that stopped booting)
            assertThat(json.path("crashes")).hasSize(1);
            assertThat(json.path("crashes").get(0).path("test").isNull()).isTrue();
            assertThat(json.path("crashes").get(0).path("title").asText()).startsWith("kernel panic: Requested init");
            assertThat(r.output()).contains("crash in VM 1 during boot (before the guest harness started): kernel panic");
            assertThat(json.path("vms")).hasSize(1);
        }
    }

    @Test
    void fuzzEndsAtOnceAndShrinksNothing() throws Exception {
        ChildCli.Result r = cli("fuzz", "--seed", "1", "--actions", "2000");
        assertThat(r.exit()).as("fuzz exit code; output:\n%s", r.output()).isEqualTo(ExitCode.INCOMPLETE.code);
        assertThat(r.seconds()).as("fuzz wall seconds (boot timeout 120)").isLessThan(60);
        assertThat(r.output()).contains("fuzz: the kernel never reached the guest harness: kernel panic: Requested init")
                .contains("nothing to shrink").contains("| " + CONSOLE).doesNotContain("[shrink]");
        try (Stream<Path> s = Files.list(BASE.resolve("fuzz"))) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("shrink-"))).isEmpty();
        }
        assertThat(Files.readString(BASE.resolve("fuzz/fuzz/console.log"))).contains(CONSOLE);
    }
}
