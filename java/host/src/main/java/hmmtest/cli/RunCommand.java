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
import hmmtest.vm.QemuVm;
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
        List<String> args = new ArrayList<>(List.of("console=ttyS0", "panic=-1", "oops=panic"));
        if (coherent) {
            args.addAll(CoherentMemory.kernelArgs(memoryMb));
        }
        if (thp != null) {
            args.add("transparent_hugepage=" + thp);
        }
        if (select != null) {
            args.add("hmmtest.select=" + select);
        }
        QemuVm.Config config = new QemuVm.Config(build.bzImage(), initrd, acc, 2, memoryMb, args, dir);

        RunResults results = new RunResults();
        Duration[] firstLine = new Duration[1];
        try (QemuVm vm = new QemuVm(config)) {
            QemuVm.Listener listener = new QemuVm.Listener() {
                @Override
                public void consoleLine(String line) {
                    if (firstLine[0] == null) {
                        firstLine[0] = vm.sinceStart();
                    }
                    if (verbose) {
                        System.out.println("  | " + line);
                    }
                }

                @Override
                public void record(ResultRecord r) {
                    results.apply(r, vm.sinceStart(), o -> Progress.always(ConsoleSummary.testLine(o)));
                }
            };
            Progress.info("vm", "boot " + build.kernelRelease() + " (" + kernel.label() + ") with "
                    + initrd.getFileName() + "; console: " + vm.consoleLog());
            vm.start(listener);
            QemuVm.Exit exit = vm.await(Duration.ofSeconds(timeoutSeconds), listener, () -> false);
            if (exit.timedOut()) {
                Progress.always("hmmtest: whole-run deadline of " + timeoutSeconds + " s passed; VM killed");
            }
            if (results.inFlight() != null) {
                results.put(new TestOutcome(results.inFlight(), TestStatus.CRASHED, -1,
                        exit.timedOut() ? "hung: whole-run deadline passed" : "the guest died during this test"));
            }
        }
        Progress.always(ConsoleSummary.summary(results, acc.name()));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("variant", kernel.label());
        json.put("kernelBuild", build.dir().toString());
        json.put("accelerator", acc.name());
        json.put("info", results.info());
        json.put("phases", results.phases());
        json.put("tests", results.tests());
        json.put("guestExit", results.guestExit());
        new ObjectMapper().findAndRegisterModules().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(dir.resolve("results.json").toFile(), json);
        Progress.always("results: " + dir);

        ExitCode code;
        if (results.guestExit() == null) {
            code = ExitCode.INCOMPLETE;
        } else if (results.tests().stream().anyMatch(t -> t.status().bad())) {
            code = ExitCode.TESTS_FAILED;
        } else {
            code = ExitCode.OK;
        }
        return code.code;
    }
}
