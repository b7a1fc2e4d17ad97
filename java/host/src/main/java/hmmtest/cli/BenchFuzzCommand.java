package hmmtest.cli;

import hmmtest.differential.FuzzDigest;
import hmmtest.infra.CacheDir;
import hmmtest.infra.Exec;
import hmmtest.infra.Progress;
import hmmtest.infra.Project;
import hmmtest.pipeline.KernelRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A benchmark, not a test: the differential engine's actions per second in one VM on a fixed seed
 * and action budget, and the verdict that run reached (hmmtest.differential.FuzzDigest: counts,
 * divergence signatures, a hash of the action trace). By default both engines of this checkout
 * run (the guest's, then the host's: {@code --engines}), side by side, and must reach the same
 * verdict. With {@code --reference HOME} another
 * checkout's built engine (its jars: e.g. main's, copied before a change) runs the same seed in
 * the same session, alternating with this one round by round, so the rates compare as ratios
 * taken side by side (these machines drift by a third within an hour) and the verdicts must be
 * identical. Each engine runs as its own {@code hmmtest fuzz} child process; the kernel is
 * prepared first, so no build is timed.
 */
@Command(name = "bench-fuzz", mixinStandardHelpOptions = true,
        description = "Differential engine throughput (actions/s, one VM) on a fixed seed and budget, with the verdict "
                + "digest; --reference HOME runs another checkout's engine side by side and compares.")
final class BenchFuzzCommand implements Callable<Integer> {
    @Mixin
    KernelOptions kernel;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--actions", defaultValue = "20000", description = "Action budget of each run (default: ${DEFAULT-VALUE}).")
    long actions;

    @Option(names = "--rounds", defaultValue = "1", description = "Runs of each engine, alternating (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--reference", paramLabel = "HOME", description = "A checkout (or a copy of one) with built jars"
            + " (java/host/target): its engine runs the same seed beside this one.")
    Path reference;

    @Option(names = "--engines", defaultValue = "guest,host", split = ",", paramLabel = "guest|host",
            description = "This checkout's engines to run, in this order each round (default: ${DEFAULT-VALUE}).")
    List<String> engines;

    @Option(names = "--accel", defaultValue = "${env:ACCEL:-auto}", description = "auto, kvm or tcg.")
    String accel;

    @Option(names = "--results-dir", description = "Where to keep the runs (default: results/<time>-bench-fuzz).")
    Path resultsDir;

    /** One engine's run. */
    record Run(String engine, int round, double wallSeconds, int exitCode, FuzzDigest digest) {}

    @Override
    public Integer call() throws Exception {
        FuzzCommand.positive("--actions", actions);
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1 (got " + rounds + ")");
        }
        RunOptions.checkAccel(accel);
        if (reference != null && !Files.isRegularFile(hostJar(reference))) {
            throw new IllegalArgumentException("--reference: no built engine at " + hostJar(reference)
                    + " (run mvn package there, or copy a checkout's java/*/target and native/build)");
        }
        if (engines.isEmpty()) {
            throw new IllegalArgumentException("--engines names no engine");
        }
        engines.forEach(hmmtest.differential.DifferentialRun.Engine::parse); // refused before anything is built
        Path dir = (resultsDir != null ? resultsDir : RunCommand.defaultResultsDir("bench-fuzz")).toAbsolutePath();
        KernelRun.prepare(CacheDir.fromEnvironment(), kernel.resolve(), accel, kernel.cleanBuild()); // not timed
        List<String> labels = new ArrayList<>();
        if (reference != null) {
            labels.add(REFERENCE);
        }
        labels.addAll(engines);
        List<Run> runs = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            // alternate who goes first: a machine slowing down during a round favours neither
            List<String> order = new ArrayList<>(labels);
            if (round % 2 == 0) {
                java.util.Collections.reverse(order);
            }
            for (String label : order) {
                runs.add(run(label, round, dir));
            }
        }
        String report = report(runs);
        Progress.always(report.stripTrailing());
        Files.writeString(dir.resolve("bench-fuzz.txt"), report);
        boolean same = runs.stream().map(r -> r.digest().verdict()).distinct().count() == 1;
        boolean clean = runs.stream().allMatch(r -> r.exitCode() == 0 || r.exitCode() == 1);
        return same && clean ? 0 : 1;
    }

    private static Path hostJar(Path home) {
        return home.resolve("java/host/target/hmmtest-host.jar");
    }

    /** The reference checkout's run (its default engine: a checkout from before --engine has only one). */
    static final String REFERENCE = "reference";

    private Run run(String engine, int round, Path dir) throws Exception {
        Path home = engine.equals(REFERENCE) ? reference : Project.root();
        Path out = dir.resolve(engine + "-" + round);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dhmmtest.home=" + home.toAbsolutePath().normalize(),
                "-cp", hostJar(home).toAbsolutePath().normalize() + ":" + home.toAbsolutePath().normalize()
                        .resolve("java/host/target/lib") + "/*",
                "hmmtest.cli.Main", "fuzz"));
        cmd.addAll(kernel.cliArgs());
        cmd.addAll(List.of("--seed", Long.toString(seed), "--actions", Long.toString(actions), "--accel", accel,
                "--results-dir", out.toString()));
        if (!engine.equals(REFERENCE)) {
            cmd.addAll(List.of("--engine", engine));
        }
        Progress.info("bench-fuzz", "round " + round + ", " + engine + " engine (" + home + "): seed " + seed + ", "
                + actions + " actions; log " + out.resolveSibling(out.getFileName() + ".log"));
        long t0 = System.nanoTime();
        Exec.Result r = Exec.run(cmd, null, out.resolveSibling(out.getFileName() + ".log"), Map.of());
        double wall = (System.nanoTime() - t0) / 1e9;
        FuzzDigest d = Files.isRegularFile(out.resolve("fuzz/results.log")) ? FuzzDigest.of(out)
                : new FuzzDigest(-1, -1, -1, -1, List.of(), null, "none", 0, null);
        Progress.info("bench-fuzz", String.format(Locale.ROOT, "  %.0f actions/s, exit %d, %s", d.actionsPerSecond(),
                r.exitCode(), d.verdict()));
        return new Run(engine, round, wall, r.exitCode(), d);
    }

    String report(List<Run> runs) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "bench-fuzz: seed %d, %d actions, %s, %d round(s), one VM each%n  %-5s %-9s %9s %8s %4s  %s%n", seed,
                actions, kernel.label() + (kernel.series != null ? " + " + kernel.series.getFileName() : ""), rounds, "round", "engine", "actions/s", "wall s", "exit", "verdict"));
        for (Run r : runs) {
            out.append(String.format(Locale.ROOT, "  %-5d %-9s %9.0f %8.1f %4d  %s%n", r.round(), r.engine(),
                    r.digest().actionsPerSecond(), r.wallSeconds(), r.exitCode(), r.digest().verdict()));
        }
        String base = reference != null ? REFERENCE : engines.get(0);
        for (String e : engines) {
            if (e.equals(base)) {
                continue;
            }
            List<String> ratios = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                double ref = rate(runs, base, round);
                double mine = rate(runs, e, round);
                ratios.add(ref > 0 ? String.format(Locale.ROOT, "%.2f", mine / ref) : "-");
            }
            out.append("  ").append(e).append('/').append(base).append(" actions/s, by round: ")
                    .append(String.join(", ", ratios)).append('\n');
        }
        boolean same = runs.stream().map(r -> r.digest().verdict()).distinct().count() == 1;
        out.append(same ? "  verdicts: identical in every run (" + runs.get(0).digest().verdict() + ")\n"
                : "  verdicts DIFFER between runs (see the rows above)\n");
        for (String e : engines) {
            runs.stream().filter(r -> r.engine().equals(e) && r.digest().profile() != null).reduce((a, b) -> b)
                    .ifPresent(r -> out.append("  where the ").append(e).append(" engine's time went (round ")
                            .append(r.round()).append("): ").append(r.digest().profile()).append('\n'));
        }
        return out.toString();
    }

    private static double rate(List<Run> runs, String engine, int round) {
        return runs.stream().filter(r -> r.engine().equals(engine) && r.round() == round).findFirst()
                .map(r -> r.digest().actionsPerSecond()).orElse(0.0);
    }
}
