package hmmtest.lava;

import hmmtest.infra.Exec;
import hmmtest.infra.ExitCode;
import hmmtest.infra.HarnessException;
import hmmtest.infra.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Debian's lava-run (package lava-dispatcher) on this machine: one job, no LAVA server. */
public final class LavaRun {
    public static final String BINARY = "lava-run";

    private LavaRun() {}

    /** lava-run from the PATH, or {@code -Dhmmtest.lava-run=PATH} (the unit tests name one that is not there). */
    static String binary() {
        return System.getProperty("hmmtest.lava-run", BINARY);
    }

    /** Refuses early (exit 8) when lava-run cannot run here: not installed, or not root (it requires root). */
    public static void checkAvailable() {
        if (Exec.capture(java.util.List.of("sh", "-c", "command -v " + hmmtest.infra.Project.shellQuote(binary()))) == null) {
            throw new HarnessException(ExitCode.MISSING_HOST_TOOLS, binary() + " is not installed: apt-get install"
                    + " --no-install-recommends lava-dispatcher (scripts/ensure-host-packages --tests installs it)");
        }
        String uid = Exec.capture(java.util.List.of("id", "-u"));
        if (uid == null || !uid.strip().equals("0")) {
            throw new HarnessException(ExitCode.MISSING_HOST_TOOLS, BINARY + " runs only as root (it starts QEMU and"
                    + " writes /var/lib/lava/dispatcher); run this as root");
        }
    }

    /** What lava-run did: its exit code and wall time. */
    public record Outcome(int exitCode, Duration wall) {}

    /** Runs the job; its log (stderr) goes to the output directory's {@value LavaJob#LOG}, where lava-results reads it. */
    public static Outcome run(LavaJob.Written job, String jobId) throws IOException {
        Path log = job.output().resolve(LavaJob.LOG);
        ProcessBuilder pb = new ProcessBuilder(Exec.dieWithParent(job.lavaRun(jobId)))
                .redirectError(log.toFile()).redirectOutput(job.output().resolve("lava-run.out").toFile());
        Progress.info("lava", String.join(" ", job.lavaRun(jobId)) + " (log " + log + ")");
        long t0 = System.nanoTime();
        Process p = Exec.start(pb);
        try {
            // LAVA ends the job at its own timeout; this bound is for a dispatcher that hangs
            if (!p.waitFor(job.timeout().plusMinutes(2).toSeconds(), TimeUnit.SECONDS)) {
                p.destroy(); // SIGTERM: lava-run cancels the job and stops its QEMU
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
                throw new HarnessException(ExitCode.INCOMPLETE, BINARY + " still running after its job's timeout ("
                        + job.timeout().toSeconds() + " s); stopped. Log: " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException(ExitCode.INTERRUPTED, "interrupted");
        } finally {
            Exec.forget(p);
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - t0);
        Progress.always(String.format(java.util.Locale.ROOT, "[lava] %s exited %d after %.1f s wall", BINARY, p.exitValue(),
                wall.toMillis() / 1000.0));
        if (!Files.isRegularFile(log) || Files.size(log) == 0) {
            throw new HarnessException(ExitCode.INCOMPLETE, BINARY + " wrote no log; its output: "
                    + job.output().resolve("lava-run.out"));
        }
        return new Outcome(p.exitValue(), wall);
    }
}
