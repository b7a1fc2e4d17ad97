package hmmtest.cli;

import hmmtest.infra.CacheDir;
import hmmtest.infra.Progress;
import hmmtest.kernel.KernelBase;
import hmmtest.kernel.KernelSpec;
import hmmtest.mutate.MutationReport;
import hmmtest.mutate.MutationRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "mutate", mixinStandardHelpOptions = true,
        description = "Mutation score of a series: faults put into the C lines it adds or changes, each built"
                + " incrementally and judged by the suite (--select) and a short differential run; survivors first.")
final class MutateCommand implements Callable<Integer> {
    /** The suite subset that judges a mutant unless --select says otherwise: the ioctl checks and one device's tests. */
    static final String DEFAULT_SELECT = "badargs.*,hmm.hmm_device_private.*";

    @Mixin
    RunOptions options;

    @Option(names = "--base", required = true, paramLabel = "VARIANT|debian:PKG[=VERSION]|PATH", description = "The base kernel.")
    String base;

    @Option(names = "--series", required = true, paramLabel = "FILE|DIR", description = "The series whose changed lines are mutated.")
    Path series;

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Paths of the series to skip (repeatable).")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--max-mutants", defaultValue = "20", description = "Mutants judged at most (default: ${DEFAULT-VALUE}).")
    int maxMutants;

    @Option(names = "--minutes", defaultValue = "60", description = "Wall-time budget; mutants beyond it are listed as not judged (default: ${DEFAULT-VALUE}).")
    long minutes;

    @Option(names = "--fuzz-seconds", defaultValue = "20", description = "Differential run per surviving mutant, 0 for none (default: ${DEFAULT-VALUE}).")
    long fuzzSeconds;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the differential runs (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", description = "Where to write (default: results/<time>-mutate).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!Files.exists(series)) {
            throw new IllegalArgumentException("--series: no such file or directory: " + series);
        }
        FuzzCommand.positive("--max-mutants", (long) maxMutants);
        FuzzCommand.positive("--minutes", minutes);
        if (fuzzSeconds < 0) {
            throw new IllegalArgumentException("--fuzz-seconds must be 0 or positive (got " + fuzzSeconds + ")");
        }
        var settings = options.settings().withConfirmRuns(0);
        if (settings.select() == null) {
            settings = settings.withSelect(DEFAULT_SELECT);
        }
        KernelSpec b = KernelSpec.shipped().containsKey(base) ? KernelSpec.variant(base, null)
                : new KernelSpec("base", KernelBase.parse(base), null, List.of(), List.of("hmm"), List.of(), "base " + base);
        Path dir = out != null ? out : RunCommand.defaultResultsDir("mutate");
        MutationReport r = new MutationRun(CacheDir.fromEnvironment(), new MutationRun.Settings(b, series, excludes, settings,
                fuzzSeconds, seed, maxMutants, Duration.ofMinutes(minutes), dir)).run();
        Progress.always(r.text().stripTrailing());
        Progress.always("results: " + dir + " (mutate.txt, mutate.json)");
        return r.count(MutationRun.Verdict.SURVIVED) > 0 ? hmmtest.infra.ExitCode.TESTS_FAILED.code : 0;
    }
}
