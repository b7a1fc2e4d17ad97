package hmmtest.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs host tools (apt-get, make, tar, git). Output goes to a log file, never to the terminal;
 * a failure carries the log's tail. Every child is killed when the harness exits, and the
 * children are started under {@code setpriv --pdeathsig} so that even a SIGKILL of the harness
 * takes them down.
 */
public final class Exec {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Exec.class);
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile boolean exiting;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Exec::killAll, "kill-children"));
    }

    private Exec() {}

    /** Result of a finished command. */
    public record Result(int exitCode, Path log) {
        public String tail(int lines) {
            return Exec.tail(log, lines);
        }
    }

    /**
     * Wraps a command so the kernel kills it when the harness dies. PDEATHSIG fires when the
     * *thread* that started the child exits, so callers start children from long-lived threads.
     */
    public static List<String> dieWithParent(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--pdeathsig", "SIGKILL", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * Like {@link #dieWithParent} for tools that fork trees of their own (make: sub-makes, gcc):
     * PDEATHSIG reaches only the direct child, so the child is a small shell leading its own
     * process group, and the signal makes it kill the whole group. Nothing of a build outlives a
     * harness killed with SIGKILL.
     */
    static List<String> groupDiesWithParent(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--pdeathsig", "SIGTERM", "--", "setsid", "bash", "-c",
                "trap 'kill -KILL -- -$$' TERM; \"$@\" </dev/null & wait $!", "hmmtest-tool"));
        wrapped.addAll(command);
        return wrapped;
    }

    public static Result run(List<String> command, Path workDir, Path log, Map<String, String> env) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(groupDiesWithParent(command))
                    .directory(workDir == null ? null : workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            Files.writeString(log, "$ " + String.join(" ", command) + "\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            LOG.debug("run {} (in {}, log {})", command, workDir, log);
            long t0 = System.nanoTime();
            Process p = start(pb);
            try {
                int code = p.waitFor();
                LOG.debug("exit {} after {} ms: {}", code, (System.nanoTime() - t0) / 1_000_000, command.get(0));
                if (exiting) { // Ctrl-C reached the tool too: not a failure of the tool
                    throw new HarnessException(ExitCode.INTERRUPTED, "interrupted while running " + command.get(0));
                }
                return new Result(code, log);
            } finally {
                LIVE.remove(p);
            }
        } catch (IOException e) {
            throw new HarnessException(ExitCode.MISSING_HOST_TOOLS,
                    "cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException(ExitCode.INTERRUPTED, "interrupted while running " + command.get(0));
        }
    }

    /** Runs and throws with the log tail when the exit code is not 0. */
    public static Result check(List<String> command, Path workDir, Path log, ExitCode onFailure, String what) {
        Result r = run(command, workDir, log, Map.of());
        if (r.exitCode() != 0) {
            String tail = r.tail(25);
            // A tool that found its disk full did not fail as a build fails: said as such (exit 9).
            boolean full = tail.contains("No space left on device") || tail.contains("Disk quota exceeded");
            throw new HarnessException(full ? ExitCode.NO_SPACE : onFailure, what + " failed (exit " + r.exitCode()
                    + (full ? ", no space left on device" : "") + "), log: " + log + "\n" + tail);
        }
        return r;
    }

    /** Runs a short command and returns its stdout (stderr discarded); null if it failed. */
    public static String capture(List<String> command) {
        try {
            Process p = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = p.waitFor();
            LOG.debug("capture {}: exit {}", command, code);
            return code == 0 ? out : null;
        } catch (IOException e) {
            LOG.debug("capture {}: {}", command, e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Starts a long-running child (QEMU) that is registered for kill-on-exit. */
    public static Process start(ProcessBuilder pb) throws IOException {
        Process p = pb.start();
        LIVE.add(p);
        return p;
    }

    public static void forget(Process p) {
        LIVE.remove(p);
    }

    /** True once the JVM is shutting down (Ctrl-C, SIGTERM): a child that died now was killed by us. */
    public static boolean exiting() {
        return exiting;
    }

    static void killAll() {
        exiting = true;
        for (Process p : LIVE) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    public static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
