package hmmtest.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The CLI in a child JVM, as `make` runs it: its own environment (a private HMMTEST_CACHE), its
 * exit code, and everything it printed (stdout and stderr, kept in a log next to the results).
 */
final class ChildCli {
    record Result(int exit, String output, double seconds) {}

    private ChildCli() {}

    static Result run(Map<String, String> env, Path log, Duration timeout, String... args) throws IOException,
            InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Dhmmtest.home=" + System.getProperty("hmmtest.home"),
                "-cp", System.getProperty("java.class.path"), "hmmtest.cli.Main"));
        cmd.addAll(List.of(args));
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            fail("hmmtest " + String.join(" ", args) + " still running after " + timeout.toSeconds() + " s; output: "
                    + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log), (System.nanoTime() - t0) / 1e9);
    }
}
