package hmmtest.cli;

import hmmtest.infra.CacheDir;
import hmmtest.infra.Progress;
import hmmtest.kernel.KernelBuild;
import hmmtest.protocol.ResultRecord;
import hmmtest.vm.Accelerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A benchmark, not a test: one-page READ through JNA against the same loop in C, in one VM. */
@Command(name = "bench-read", mixinStandardHelpOptions = true,
        description = "Cost of a one-page dmirror READ from the guest JVM (JNA) vs C, measured in the same VM.")
final class BenchReadCommand implements Callable<Integer> {
    @Mixin
    KernelOptions kernel;

    @Option(names = "--accel", defaultValue = "${env:ACCEL:-auto}", description = "auto, kvm or tcg.")
    String accel;

    @Override
    public Integer call() throws Exception {
        RunOptions.checkAccel(accel);
        CacheDir cache = CacheDir.fromEnvironment();
        hmmtest.pipeline.KernelRun.Bootable boot = hmmtest.pipeline.KernelRun.prepare(cache, kernel.resolve(), accel, kernel.cleanBuild());
        KernelBuild build = boot.build();
        Accelerator.Choice acc = boot.accel();
        Path dir = Files.createTempDirectory("hmmtest-bench-read-");
        Map<String, String> info = new LinkedHashMap<>();
        // The suite's machine and command line (KernelRun), so a warm snapshot serves this VM too.
        hmmtest.session.GuestVm.run(hmmtest.pipeline.KernelRun.differentialMachine(cache, boot, true),
                hmmtest.protocol.WorkOrder.mode("bench-read", Map.of()), dir, Duration.ofMinutes(5),
                hmmtest.console.KnownIssues.none(), r -> {
                    if (r.kind() == ResultRecord.Kind.INFO) {
                        info.put(r.field(0), r.field(1));
                    }
                });
        String j = info.get("bench-java-ns");
        String c = info.get("bench-c-ns");
        if (j == null || c == null || !c.matches("[0-9,]+") || !j.matches("[0-9,]+")) {
            Progress.always("bench-read: no figures (" + info + "); console in " + dir);
            return hmmtest.infra.ExitCode.INCOMPLETE.code;
        }
        double jMin = java.util.Arrays.stream(j.split(",")).mapToDouble(Double::parseDouble).min().orElseThrow();
        double cMin = java.util.Arrays.stream(c.split(",")).mapToDouble(Double::parseDouble).min().orElseThrow();
        Progress.always(String.format(Locale.ROOT, "one-page READ of a mirrored page, 20000 calls per round, rounds"
                + " alternate C and JNA, kernel %s, %s:%n  JNA (Dmirror, C1)  %s ns/call%n  C baseline         %s ns/call%n"
                + "  ratio JNA/C (best of each)  %.2f", build.kernelRelease(), acc.name(), j, c, jMin / cMin));
        CacheDir.deleteQuietly(dir);
        return 0;
    }
}
