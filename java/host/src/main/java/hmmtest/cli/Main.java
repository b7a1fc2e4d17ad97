package hmmtest.cli;

import hmmtest.container.Backend;
import hmmtest.infra.ExitCode;
import hmmtest.infra.HarnessException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Entry point: {@code hmmtest <command>}. Maps every failure to a documented exit code. */
@Command(name = "hmmtest", mixinStandardHelpOptions = true, version = "hmmtest 0.1",
        description = "Builds kernels with test_hmm, boots them in QEMU and tests /dev/hmm_dmirror* from Java.",
        subcommands = {RunCommand.class, KernelCommand.class, KernelsCommand.class, CleanKernelsCommand.class,
            BenchBootCommand.class, BenchReadCommand.class, SmokeCommand.class, ValidateCommand.class, FuzzCommand.class,
            MergeCommand.class, DurationsCommand.class, BenchJobsCommand.class, BenchFuzzCommand.class, MutateCommand.class,
            CoverageCommand.class, LavaJobCommand.class, LavaResultsCommand.class, LavaRunCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every test passed",
            "1:at least one test failed",
            "2:bad command line",
            "3:the kernel crashed or hung during a test",
            "4:infrastructure error or incomplete run",
            "5:kernel, module or image build failed",
            "6:a requested Kconfig symbol did not survive olddefconfig",
            "7:a patch of the series did not apply",
            "8:a host package or tool is missing",
            "9:no space left on the cache's (or the results') filesystem",
            "130:interrupted"})
public final class Main {

    // Container backend (hmmtest.container): read by Backend.dispatch before parsing; declared for --help.
    @Option(names = "--backend", scope = ScopeType.INHERIT, paramLabel = "local|container",
            defaultValue = "${env:HMMTEST_BACKEND:-local}",
            description = "Where builds and VMs run: local, or container (the toolchain image; needs Docker).")
    String backend;

    /** Commands still running; a Ctrl-C waits for them to write their results (bounded). */
    private static final java.util.concurrent.atomic.AtomicInteger RUNNING = new java.util.concurrent.atomic.AtomicInteger();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Main::letCommandsFinish, "let-commands-finish"));
    }

    public static void main(String[] args) {
        logLevelFromEnvironment(System.getenv("HMMTEST_LOG"));
        System.exit(execute(args));
    }

    /**
     * HMMTEST_LOG=debug|info|warn: the level of the hmmtest loggers (SLF4J, on stderr), set before
     * the first logger exists. Diagnostics only; the user-facing output does not change.
     */
    static void logLevelFromEnvironment(String level) {
        if (level != null && !level.isBlank() && System.getProperty("org.slf4j.simpleLogger.log.hmmtest") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.hmmtest", level.strip().toLowerCase(java.util.Locale.ROOT));
        }
    }

    public static int execute(String... args) {
        RUNNING.incrementAndGet();
        try {
            return executeCommand(args);
        } finally {
            synchronized (RUNNING) {
                RUNNING.decrementAndGet();
                RUNNING.notifyAll();
            }
        }
    }

    /**
     * On Ctrl-C or SIGTERM the other hooks stop QEMU and the builds at once; this one gives the
     * command up to 15 s to notice, mark the rest of its plan not run and write results.json and
     * the summary, so an interrupted run keeps its results. The exit status stays 130.
     */
    private static void letCommandsFinish() {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
        synchronized (RUNNING) {
            while (RUNNING.get() > 0 && System.nanoTime() < deadline) {
                try {
                    RUNNING.wait(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static int executeCommand(String... args) {
        Backend.Dispatch dispatch = Backend.dispatch(args, System.getenv(), () -> new CommandLine(new Main())); // container backend hook
        if (dispatch.exitCode() != null) {
            return dispatch.exitCode();
        }
        args = dispatch.localArgs();
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof HarnessException h) {
                System.err.println("hmmtest: " + h.getMessage());
                return h.exitCode().code;
            }
            String noSpace = hmmtest.infra.NoSpace.describe(ex);
            if (noSpace != null) {
                System.err.println("hmmtest: " + noSpace);
                return ExitCode.NO_SPACE.code;
            }
            if (ex instanceof IllegalArgumentException) {
                System.err.println("hmmtest: " + ex.getMessage());
                return ExitCode.USAGE.code;
            }
            System.err.println("hmmtest: internal error: " + ex);
            ex.printStackTrace();
            return ExitCode.INCOMPLETE.code;
        });
        return cl.execute(args);
    }
}
