package hmmtest.container;

import hmmtest.infra.ExitCode;
import hmmtest.infra.HarnessException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Testcontainers reads these only from environment variables (not from a classpath
 * testcontainers.properties): without them it pulls testcontainers/ryuk and alpine from a registry
 * and hangs minutes per pull. A JVM cannot set its own environment, so when they are missing the
 * backend runs the same command in a child JVM that has them ({@link #reexec}); `make` and the
 * failsafe configuration set them directly, so the usual paths start one JVM only.
 */
public final class TestcontainersEnv {
    private TestcontainersEnv() {}

    /** The variables and the values the backend needs. */
    public static Map<String, String> wanted() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("TESTCONTAINERS_RYUK_DISABLED", "true");
        // The machine has a /.dockerenv: without this Testcontainers looks for a gateway to reach
        // containers through. The backend never opens a port, but the check must not guess.
        m.put("TESTCONTAINERS_HOST_OVERRIDE", "localhost");
        // Its startup checks run a "tiny image": ours, which the engine has (never pulled).
        m.put("TESTCONTAINERS_TINYIMAGE_CONTAINER_IMAGE", ToolchainImage.LATEST);
        return m;
    }

    /** The wanted variables whose value differs in {@code env} (empty: Testcontainers is safe to use). */
    public static Map<String, String> missing(Map<String, String> env) {
        Map<String, String> m = new LinkedHashMap<>();
        wanted().forEach((k, v) -> {
            if (!v.equals(env.get(k))) {
                m.put(k, v);
            }
        });
        return m;
    }

    /** Quiet Testcontainers' and docker-java's INFO lines: the CLI's output is the inner CLI's. */
    static void quietLogging() {
        Map<String, String> levels = Map.of("org.testcontainers", "warn", "tc", "warn", "com.github.dockerjava", "warn",
                // "Ryuk has been disabled": on purpose; ContainerRun removes its container itself.
                "org.testcontainers.utility.ResourceReaper", "error");
        levels.forEach((logger, level) -> {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, level);
            }
        });
    }

    /**
     * Runs the CLI ({@code --backend container ARGS}) in a child JVM (same java, classpath
     * and system property hmmtest.home) with the variables set, and returns its exit code. The
     * child gets SIGTERM if this JVM dies (setpriv --pdeathsig), so its shutdown hook still removes
     * the container.
     */
    static int reexec(List<String> args, Map<String, String> vars) {
        String javaCmd = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--pdeathsig", "SIGTERM", "--", javaCmd));
        String home = System.getProperty("hmmtest.home");
        if (home != null) {
            cmd.add("-Dhmmtest.home=" + home);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "hmmtest.cli.Main", "--backend", "container"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().putAll(vars);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new HarnessException(ExitCode.MISSING_HOST_TOOLS, "cannot start " + cmd.get(0) + ": " + e.getMessage());
        }
        Thread stopChild = new Thread(() -> {
            p.destroy(); // SIGTERM: its own hook stops and removes the container
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "stop-container-backend");
        Runtime.getRuntime().addShutdownHook(stopChild);
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.INTERRUPTED.code;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopChild);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running
            }
        }
    }
}
