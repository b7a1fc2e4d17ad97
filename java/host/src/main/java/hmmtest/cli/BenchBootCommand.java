package hmmtest.cli;

import hmmtest.infra.CacheDir;
import hmmtest.infra.Progress;
import hmmtest.pipeline.KernelRun;
import hmmtest.session.SessionResults;
import hmmtest.session.SuiteSession;
import hmmtest.session.Timeouts;
import hmmtest.session.VmRun;
import hmmtest.vm.Machine;
import hmmtest.vm.VmLauncher;
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
 * A benchmark, not a test: cold boots and restores from a warm snapshot of the same machine,
 * alternating in one run (the machine's speed drifts), with no test selected; prints each
 * phase's host time since QEMU started side by side, and what saving the snapshot cost.
 */
@Command(name = "bench-boot", mixinStandardHelpOptions = true,
        description = "Cold boot vs restore from a warm snapshot, N of each, alternating: min/median/max of every phase.")
final class BenchBootCommand implements Callable<Integer> {
    @Mixin
    KernelOptions kernel;

    @Option(names = "--boots", defaultValue = "5", description = "VMs of each kind (default: ${DEFAULT-VALUE}).")
    int boots;

    @Option(names = "--accel", defaultValue = "${env:ACCEL:-auto}", description = "auto, kvm or tcg.")
    String accel;

    @Override
    public Integer call() throws Exception {
        RunOptions.checkAccel(accel);
        if (boots <= 0) {
            throw new IllegalArgumentException("--boots must be a positive number (got " + boots + ")");
        }
        CacheDir cache = CacheDir.fromEnvironment();
        KernelRun.Bootable boot = KernelRun.prepare(cache, kernel.resolve(), accel, kernel.cleanBuild());
        Machine warm = KernelRun.differentialMachine(cache, boot, true);
        Path dir = Files.createTempDirectory("hmmtest-bench-boot-");
        try {
            // A fresh save, so that its cost is measured in this run too.
            VmLauncher.discardSnapshot(warm, dir.resolve("discard"));
            VmRun saved = oneVm(warm, dir.resolve("save"));
            Map<String, List<Double>> cold = new LinkedHashMap<>();
            Map<String, List<Double>> restored = new LinkedHashMap<>();
            List<String> restoreNotes = new ArrayList<>();
            for (int i = 0; i < boots; i++) {
                collect(oneVm(warm.withoutSnapshots(), dir.resolve("cold-" + i)), cold);
                VmRun r = oneVm(warm, dir.resolve("restore-" + i));
                collect(r, restored);
                if (!r.start().how().equals(VmLauncher.Start.RESTORED)) {
                    restoreNotes.add(r.start().describe());
                }
            }
            Progress.always(String.format(Locale.ROOT, "bench-boot: %d cold boots and %d restores alternating, kernel %s,"
                    + " accelerator %s; host seconds since QEMU start (min / median / max)", boots, boots,
                    boot.build().kernelRelease(), boot.accel().name()));
            Progress.always(String.format(Locale.ROOT, "  %-18s %-22s %s", "phase", "cold boot", "restored"));
            List<String> names = new ArrayList<>(cold.keySet());
            restored.keySet().stream().filter(n -> !names.contains(n)).forEach(n -> names.add(names.size() - 1, n));
            for (String n : names) {
                Progress.always(String.format(Locale.ROOT, "  %-18s %-22s %s", label(n), stats(cold.get(n)),
                        stats(restored.get(n))));
            }
            VmLauncher.Start s = saved.start();
            Progress.always(s.saveSeconds() == null ? "  snapshot: not saved (" + s.describe() + ")"
                    : String.format(Locale.ROOT, "  snapshot: saved in %.1f s, %d MiB (VM booted to ready in %.1f s first)",
                            s.saveSeconds(), s.snapshotBytes() >> 20, phase(saved, "snapshot-ready")));
            restoreNotes.forEach(n -> Progress.always("  not restored: " + n));
            return 0;
        } finally {
            CacheDir.deleteQuietly(dir);
        }
    }

    private static VmRun oneVm(Machine m, Path dir) {
        SuiteSession.Config config = new SuiteSession.Config(m, "no-test-matches-this",
                Timeouts.defaults(m.accel().kvm(), Duration.ofMinutes(5)), dir, false, hmmtest.console.KnownIssues.none());
        SessionResults r = new SuiteSession(config).run();
        return r.vms().get(0);
    }

    private static void collect(VmRun vm, Map<String, List<Double>> into) {
        vm.results().phases().values().forEach(p -> into.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p.hostSeconds()));
        into.computeIfAbsent("QEMU exit", k -> new ArrayList<>()).add(vm.seconds());
    }

    private static double phase(VmRun vm, String name) {
        var p = vm.results().phases().get(name);
        return p == null ? Double.NaN : p.hostSeconds();
    }

    private static String label(String phase) {
        return switch (phase) {
            case "first-ioctl" -> "first ioctl";
            case "suite-discovered" -> "ready (discovered)";
            default -> phase;
        };
    }

    static String stats(List<Double> values) {
        if (values == null || values.isEmpty()) {
            return "-";
        }
        double[] s = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format(Locale.ROOT, "%.2f / %.2f / %.2f", s[0], s[s.length / 2], s[s.length - 1]);
    }
}
