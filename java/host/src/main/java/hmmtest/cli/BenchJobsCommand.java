package hmmtest.cli;

import hmmtest.infra.CacheDir;
import hmmtest.infra.Progress;
import hmmtest.pipeline.KernelRun;
import hmmtest.results.TestOutcome;
import hmmtest.session.RunSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * A benchmark, not a test: the same selection with JOBS = 1, 2, ... up to the host's cores, one
 * after the other in one run (the machine's speed drifts between runs, not within one): the
 * suite's wall time, the speed-up over one job, and the CPU time the VMs used (QEMU's, read from
 * the kernel's accounting of this process's reaped children), so that the scaling on a bigger
 * host can be projected. Also checks that every N gives the same verdicts.
 */
@Command(name = "bench-jobs", mixinStandardHelpOptions = true,
        description = "Suite wall time and VM CPU time for JOBS=1..N (default N: the host's cores), and whether the verdicts agree.")
final class BenchJobsCommand implements Callable<Integer> {
    @Mixin
    KernelOptions kernel;

    @Mixin
    RunOptions options;

    @Option(names = "--max-jobs", description = "Largest N (default: the host's cores).")
    Integer maxJobs;

    @Option(names = "--results-dir", description = "Where to keep the runs (default: results/<time>-bench-jobs).")
    Path resultsDir;

    /** One N's figures. */
    record Row(int jobs, double wallSeconds, double vmCpuSeconds, int vms, Map<String, String> verdicts) {}

    @Override
    public Integer call() throws Exception {
        RunSettings base = options.settings().withConfirmRuns(0);
        int max = maxJobs != null ? maxJobs : Runtime.getRuntime().availableProcessors();
        if (max < 1) {
            throw new IllegalArgumentException("--max-jobs must be at least 1 (got " + max + ")");
        }
        RunOptions.checkJobs(max, base.memoryMb());
        Path dir = resultsDir != null ? resultsDir : RunCommand.defaultResultsDir("bench-jobs");
        KernelRun.prepare(CacheDir.fromEnvironment(), kernel.resolve(), base.accel()); // built before the clock starts
        List<Row> rows = new ArrayList<>();
        for (int n = 1; n <= max; n++) {
            RunSettings s = new RunSettings(base.accel(), base.thp(), base.select(), base.coherent(), base.wholeRun(),
                    base.perTest(), base.panicOnWarn(), base.memoryMb(), base.verbose(), base.strict(), base.snapshots(),
                    0, base.extraKernelArgs(), n, null);
            double cpu0 = childCpuSeconds();
            long t0 = System.nanoTime();
            KernelRun.Result r = KernelRun.run(CacheDir.fromEnvironment(), kernel.resolve(), kernel.label(), s,
                    dir.resolve("jobs-" + n));
            double wall = (System.nanoTime() - t0) / 1e9;
            Map<String, String> verdicts = new LinkedHashMap<>();
            for (TestOutcome o : r.session().tests()) {
                verdicts.put(o.id(), o.status().name());
            }
            rows.add(new Row(n, wall, childCpuSeconds() - cpu0, r.session().vms().size(), verdicts));
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "bench-jobs: %d tests of %s, %d host cores%n  %-5s %9s %8s %5s %12s %14s%n",
                rows.get(0).verdicts().size(), base.select() == null ? "the whole suite" : "'" + base.select() + "'",
                Runtime.getRuntime().availableProcessors(), "JOBS", "wall s", "speedup", "VMs", "VM CPU s", "VM CPU / wall"));
        for (Row row : rows) {
            out.append(String.format(Locale.ROOT, "  %-5d %9.1f %7.2fx %5d %12.1f %14.2f%n", row.jobs(), row.wallSeconds(),
                    rows.get(0).wallSeconds() / row.wallSeconds(), row.vms(), row.vmCpuSeconds(),
                    row.vmCpuSeconds() / row.wallSeconds()));
        }
        List<String> differ = new ArrayList<>();
        for (Row row : rows.subList(1, rows.size())) {
            rows.get(0).verdicts().forEach((id, v) -> {
                if (!v.equals(row.verdicts().get(id))) {
                    differ.add(id + ": JOBS=1 " + v + ", JOBS=" + row.jobs() + " " + row.verdicts().get(id));
                }
            });
        }
        out.append(differ.isEmpty() ? "  verdicts: identical for every JOBS\n"
                : "  verdicts DIFFER:\n    " + String.join("\n    ", differ) + "\n");
        Progress.always(out.toString().stripTrailing());
        Files.writeString(dir.resolve("bench-jobs.txt"), out);
        return differ.isEmpty() ? 0 : 1;
    }

    /** CPU seconds (user + system) of this process's children that have exited and been waited for: the QEMUs. */
    static double childCpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields 16 (cutime) and 17 (cstime) of proc(5); f[0] is field 3; clock ticks of 1/100 s on Linux
        return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0;
    }
}
