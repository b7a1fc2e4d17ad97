package hmmtest.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import hmmtest.image.GuestImage;
import hmmtest.infra.CacheDir;
import hmmtest.infra.ExitCode;
import hmmtest.infra.Progress;
import hmmtest.infra.Project;
import hmmtest.kernel.KernelBuild;
import hmmtest.kernel.KernelBuilder;
import hmmtest.protocol.ResultRecord;
import hmmtest.report.ConsoleSummary;
import hmmtest.results.RunResults;
import hmmtest.results.TestOutcome;
import hmmtest.results.TestStatus;
import hmmtest.vm.Accelerator;
import hmmtest.vm.CoherentMemory;
import hmmtest.session.ResultFiles;
import hmmtest.session.SessionResults;
import hmmtest.session.SuiteSession;
import hmmtest.session.Timeouts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Build what is missing (kernel, guest image), boot it in QEMU, run the device suite, report.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    KernelOptions kernel;

    @Option(names = "--accel", defaultValue = "${env:ACCEL:-auto}",
            description = "auto (probe KVM, fall back to TCG), kvm or tcg (default: ${DEFAULT-VALUE}).")
    String accel;

    @Option(names = "--thp", description = "Transparent hugepage mode for the guest: always, madvise or never.")
    String thp;

    @Option(names = "--select", paramLabel = "GLOB[,GLOB...]",
            description = "Run only tests whose id matches, e.g. 'hmm.*.exclusive*'.")
    String select;

    @Option(names = "--coherent", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Reserve special-purpose memory so the coherent devices hmm_dmirror2/3 exist (default: on).")
    boolean coherent;

    @Option(names = "--timeout", defaultValue = "900", description = "Whole-run deadline in seconds (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--test-timeout", defaultValue = "0",
            description = "Per-test timeout in seconds (default: 120 under TCG, 20 under KVM).")
    int testTimeoutSeconds;

    @Option(names = "--panic-on-warn", description = "Boot with panic_on_warn=1: a WARNING panics the guest.")
    boolean panicOnWarn;

    @Option(names = "--memory", defaultValue = "2048", description = "Guest RAM in MiB (default: ${DEFAULT-VALUE}).")
    int memoryMb;

    @Option(names = "--results-dir", description = "Where to write results (default: results/<time>-<variant>).")
    Path resultsDir;

    @Option(names = {"-v", "--verbose"}, description = "Echo the kernel console.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "Only test lines and the summary.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        Progress.setQuiet(quiet);
        CacheDir cache = CacheDir.fromEnvironment();
        KernelBuild build = new KernelBuilder(cache).build(kernel.resolve());
        Path initrd = new GuestImage(cache).build(build);
        Accelerator.Choice acc = Accelerator.choose(cache, build.bzImage(), accel);
        Progress.info("vm", "accelerator: " + acc.name() + " (" + acc.reason() + ")");

        Path dir = resultsDir != null ? resultsDir : Project.root().resolve("results").resolve(
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + kernel.label());
        Files.createDirectories(dir);
        // panic=-1 + QEMU's -no-reboot: a panic ends QEMU at once. A hung task is reported after 20 s.
        List<String> args = new ArrayList<>(List.of("console=ttyS0", "panic=-1", "oops=panic",
                "sysctl.kernel.hung_task_timeout_secs=20"));
        if (panicOnWarn) {
            args.add("panic_on_warn=1");
        }
        if (coherent) {
            args.addAll(CoherentMemory.kernelArgs(memoryMb));
        }
        if (thp != null) {
            args.add("transparent_hugepage=" + thp);
        }
        Timeouts timeouts = Timeouts.defaults(acc.kvm(), Duration.ofSeconds(timeoutSeconds));
        if (testTimeoutSeconds > 0) {
            timeouts = timeouts.withPerTest(Duration.ofSeconds(testTimeoutSeconds));
        }
        SuiteSession.Config config = new SuiteSession.Config(build.bzImage(), initrd, acc, memoryMb, args, select,
                timeouts, dir, verbose);
        Progress.info("vm", "kernel " + build.kernelRelease() + " (" + kernel.label() + "), timeouts: boot "
                + timeouts.boot().toSeconds() + " s, per test " + timeouts.perTest().toSeconds() + " s, run "
                + timeouts.wholeRun().toSeconds() + " s");
        SessionResults results = new SuiteSession(config).run();

        Progress.always(ConsoleSummary.summary(results, acc.name()));
        ResultFiles.write(dir, kernel.label(), build, acc.name(), results);
        if (Files.exists(dir.resolve("agreement.txt"))) {
            Progress.always(Files.readString(dir.resolve("agreement.txt")).stripTrailing());
        }
        Progress.always("results: " + dir);

        return ResultFiles.exitCode(results).code;
    }
}
