package hmmtest.cli;

import hmmtest.infra.CacheDir;
import hmmtest.infra.Progress;
import hmmtest.kernel.KernelBuild;
import hmmtest.session.SessionResults;
import hmmtest.session.SuiteSession;
import hmmtest.session.Timeouts;
import hmmtest.session.VmRun;
import hmmtest.vm.Accelerator;
import hmmtest.vm.CoherentMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A benchmark, not a test: boots the guest N times with no tests selected and prints the
 * distribution of each boot phase (guest uptime, and host time since QEMU started).
 */
@Command(name = "bench-boot", mixinStandardHelpOptions = true,
        description = "Boot the guest N times (no tests) and print min/median/max of every boot phase.")
final class BenchBootCommand implements Callable<Integer> {
    @Mixin
    KernelOptions kernel;

    @Option(names = "--boots", defaultValue = "5", description = "Number of boots (default: ${DEFAULT-VALUE}).")
    int boots;

    @Option(names = "--accel", defaultValue = "${env:ACCEL:-auto}", description = "auto, kvm or tcg.")
    String accel;

    @Override
    public Integer call() throws Exception {
        CacheDir cache = CacheDir.fromEnvironment();
        hmmtest.session.KernelRun.Bootable boot = hmmtest.session.KernelRun.prepare(cache, kernel.resolve(), accel, kernel.cleanBuild());
        KernelBuild build = boot.build();
        Path initrd = boot.initrd();
        Accelerator.Choice acc = boot.accel();
        Path dir = Files.createTempDirectory("hmmtest-bench-boot-");
        Map<String, List<double[]>> phases = new LinkedHashMap<>();
        List<Double> total = new ArrayList<>();
        for (int i = 0; i < boots; i++) {
            List<String> args = new ArrayList<>(List.of("console=ttyS0", "panic=-1", "oops=panic"));
            args.addAll(CoherentMemory.kernelArgs(2048));
            SuiteSession.Config config = new SuiteSession.Config(build.bzImage(), initrd, acc, 2048, args,
                    "no-test-matches-this", Timeouts.defaults(acc.kvm(), Duration.ofMinutes(5)), dir.resolve("boot-" + i),
                    false, hmmtest.session.KnownIssues.none());
            SessionResults r = new SuiteSession(config).run();
            for (VmRun vm : r.vms()) {
                vm.results().phases().values().forEach(p -> phases.computeIfAbsent(p.name(), k -> new ArrayList<>())
                        .add(new double[] {p.guestSeconds(), p.hostSeconds()}));
                total.add(vm.seconds());
            }
        }
        Progress.always(String.format(Locale.ROOT, "boot phases over %d boots, kernel %s, accelerator %s"
                + " (seconds: min / median / max)", boots, build.kernelRelease(), acc.name()));
        Progress.always(String.format(Locale.ROOT, "  %-14s %-26s %s", "phase", "guest uptime", "host since QEMU start"));
        phases.forEach((name, values) -> Progress.always(String.format(Locale.ROOT, "  %-14s %-26s %s", name,
                stats(values.stream().mapToDouble(v -> v[0]).toArray()),
                stats(values.stream().mapToDouble(v -> v[1]).toArray()))));
        Progress.always(String.format(Locale.ROOT, "  %-14s %-26s %s", "QEMU exit", "",
                stats(total.stream().mapToDouble(Double::doubleValue).toArray())));
        hmmtest.infra.CacheDir.deleteQuietly(dir);
        return 0;
    }

    static String stats(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        if (s.length == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f / %.2f / %.2f", s[0], s[s.length / 2], s[s.length - 1]);
    }
}
