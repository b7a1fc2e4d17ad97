package hmmtest.cli;

import hmmtest.differential.DifferentialRun;
import hmmtest.infra.CacheDir;
import hmmtest.infra.Progress;
import hmmtest.infra.Project;
import hmmtest.kernel.KernelBuild;
import hmmtest.console.KnownIssues;
import hmmtest.vm.Accelerator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The differential run: seeded random actions on the real driver, each checked against the
 * in-JVM reference model; divergences and kernel crashes come back with minimal reproducers.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
        description = "Differential testing: random action sequences checked against the reference model, "
                + "shrunk to minimal reproducers, even across kernel crashes.")
final class FuzzCommand implements Callable<Integer> {
    @Mixin
    KernelOptions kernel;

    @Option(names = "--seed", defaultValue = "1", description = "Seed; the same seed gives the same actions (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--actions", description = "Budget in actions (default 10000 when no --seconds).")
    Long actions;

    @Option(names = "--seconds", description = "Budget in seconds.")
    Long seconds;

    @Option(names = "--shard", paramLabel = "I/N", description = "Shard I of N of a campaign: runs seed + I - 1, so the"
            + " N shards of seed S cover seeds S..S+N-1 (the next campaign starts at S+N).")
    String shard;

    @Option(names = "--coherent", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Boot with the coherent devices hmm_dmirror2/3 (default: on); --no-coherent fuzzes the private devices only.")
    boolean coherent;

    @Option(names = "--steer", description = "On a coverage kernel, steer the generator's weights towards the kinds of action"
            + " that reach new driver code (off by default: in 10-minute runs it found no more than the fixed weights).")
    boolean steer;

    @Option(names = "--engine", defaultValue = "${env:ENGINE:-guest}", paramLabel = "guest|host",
            description = "Where the generator and the model run: in the guest JVM (default) or here, with the guest's C"
            + " executor performing each action over the control port. The same seed gives the same actions either way.")
    String engine;

    @Option(names = "--explore-hazards", description = "Generate the actions the model knows can crash the driver.")
    boolean exploreHazards;

    @Option(names = "--shrink-boots", description = "VMs allowed to shrink a kernel crash (default: 100 restored from a"
            + " warm snapshot, 16 with --no-snapshot).")
    Integer shrinkBoots;

    @Option(names = "--shrink-minutes", description = "Wall-time cap of crash shrinking (default: 10).")
    Long shrinkMinutes;

    @Option(names = "--no-snapshot", description = "Boot every VM cold instead of restoring a warm snapshot of the booted guest.")
    boolean noSnapshot;

    @Option(names = "--replay", paramLabel = "FILE", description = "Replay this action list (a reproducer's .actions "
            + "file) in a fresh VM instead of generating actions; a divergence is shrunk again and gets new reproducers.")
    Path replay;

    @Option(names = "--shrink-seconds", description = "In-guest shrinking time per divergence (default: 120).")
    Long shrinkSeconds;

    @Option(names = "--accel", defaultValue = "${env:ACCEL:-auto}", description = "auto, kvm or tcg.")
    String accel;

    /** Hidden, as for run: an extra guest kernel argument, for the harness's own fault tests. */
    @Option(names = "--kernel-arg", hidden = true, paramLabel = "ARG")
    java.util.List<String> kernelArgs = new java.util.ArrayList<>();

    @Option(names = "--results-dir", description = "Where to write the run (default: results/<time>-fuzz-<variant>).")
    Path resultsDir;

    /** The seed shard i of n of a campaign runs: disjoint across the shards. */
    static long shardSeed(long seed, hmmtest.plan.Shard shard) {
        return seed + shard.index() - 1;
    }

    /** A budget is a count or a duration: zero or less is a mistake, refused before anything is built. */
    static void positive(String option, Long value) {
        if (value != null && value <= 0) {
            throw new IllegalArgumentException(option + " must be a positive number (got " + value + ")");
        }
    }

    @Override
    public Integer call() throws Exception {
        if (replay != null && !java.nio.file.Files.isRegularFile(replay)) {
            throw new IllegalArgumentException("--replay: no such file: " + replay);
        }
        DifferentialRun.Engine where = DifferentialRun.Engine.parse(engine);
        positive("--actions", actions);
        positive("--seconds", seconds);
        positive("--shrink-seconds", shrinkSeconds);
        positive("--shrink-minutes", shrinkMinutes);
        if (shrinkBoots != null) {
            positive("--shrink-boots", (long) shrinkBoots);
        }
        if (shard != null) {
            seed = shardSeed(seed, hmmtest.plan.Shard.parse(shard));
        }
        int shrinkBudget = shrinkBoots != null ? shrinkBoots : noSnapshot ? 16 : 100;
        RunOptions.checkAccel(accel);
        CacheDir cache = CacheDir.fromEnvironment();
        hmmtest.kernel.KernelSpec spec = kernel.resolve();
        boolean coverage = hmmtest.coverage.CoverageReport.wanted(spec.profiles());
        hmmtest.pipeline.KernelRun.Bootable boot = hmmtest.pipeline.KernelRun.prepare(cache, spec, accel, kernel.cleanBuild());
        KernelBuild build = boot.build();
        Accelerator.Choice acc = boot.accel();
        Path dir = resultsDir != null ? resultsDir : RunCommand.defaultResultsDir("fuzz-" + kernel.label());
        long budget = actions != null ? actions : seconds == null ? 10_000L : 0;
        String rerun = "make -C " + hmmtest.infra.Project.shellQuote(hmmtest.infra.Project.root().toString()) + " fuzz " + kernel.makeArgs() + (replay != null ? " " + KernelOptions.makeVar("REPLAY", replay.toAbsolutePath().toString())
                : " SEED={seed} " + (seconds != null ? "SECONDS=" + seconds : "ACTIONS=" + budget))
                + "  # kernel build " + build.id() + "; minimal list: {actions}";
        // Long, not long: a seconds-only budget has no action count (a long here unboxed null: NPE).
        Long actionBudget = actions != null ? actions : seconds == null ? Long.valueOf(10_000L) : null;
        DifferentialRun.Settings s = new DifferentialRun.Settings(seed, actionBudget, seconds, exploreHazards, shrinkBudget,
                shrinkMinutes != null ? java.time.Duration.ofMinutes(shrinkMinutes) : DifferentialRun.Settings.SHRINK_TIME,
                rerun, replay, shrinkSeconds, steer, where);
        Progress.always("fuzz: " + (replay != null ? "replay of " + replay : "seed " + seed) + " on " + build.kernelRelease() + " (" + kernel.label() + "), accelerator "
                + acc.name());
        // coverage: a cold VM, whose counters are the run's own (a warm snapshot's guest ran its warm-up)
        DifferentialRun.Result r = new DifferentialRun(hmmtest.pipeline.KernelRun.differentialMachine(cache, boot,
                !noSnapshot && !coverage, kernelArgs, coherent), dir, KnownIssues.read(Project.root().resolve("known-issues.txt"))).run(s);
        if (coverage) {
            hmmtest.coverage.CoverageReport.write(build, java.util.List.of(dir.resolve("fuzz")), dir);
        }
        Progress.always("results: " + dir);
        return r.exitCode().code;
    }
}
