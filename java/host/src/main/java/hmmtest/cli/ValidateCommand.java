package hmmtest.cli;

import hmmtest.infra.CacheDir;
import hmmtest.infra.ExitCode;
import hmmtest.infra.HarnessException;
import hmmtest.infra.Progress;
import hmmtest.kernel.KernelBase;
import hmmtest.kernel.KernelSpec;
import hmmtest.report.ReportWriter;
import hmmtest.session.KernelRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Patch validation for CI: build a base and base + series (or several named variants), run the
 * device suite on each, compare, and write the reports kernel people and CI systems read. The
 * exit code says pass, new failures, crash in the patched kernel, incomplete, build or apply
 * failure.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Compare a base kernel with base + series (or named variants) and write KTAP, JUnit XML, "
                + "text, HTML and JSON reports.")
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions options;

    @Option(names = "--base", paramLabel = "VARIANT|debian:PKG[=VERSION]|PATH", description = "The base kernel.")
    String base;

    @Option(names = "--series", paramLabel = "FILE|DIR", description = "The patch series to validate on the base.")
    Path series;

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Paths of the series to skip (repeatable).")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--variants", split = ",", paramLabel = "V1,V2,...",
            description = "Instead of base + series: run these variants and compare each with the first.")
    List<String> variants;

    @Option(names = "--profile", paramLabel = "NAME", description = "Extra Kconfig profile (repeatable).")
    List<String> profiles = new ArrayList<>();

    @Option(names = "--out", description = "Report directory (default: results/<time>-validate).")
    Path out;

    @Option(names = "--fuzz-seconds", defaultValue = "60",
            description = "Time box of the differential run on each kernel, 0 for none (default: ${DEFAULT-VALUE}).")
    long fuzzSeconds;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the differential runs (default: ${DEFAULT-VALUE}).")
    long seed;

    /** A kernel to run, with the label its results and reports carry. */
    record Run(String label, KernelSpec spec) {}

    @Override
    public Integer call() throws Exception {
        List<Run> runs = plan();
        Path dir = out != null ? out : RunCommand.defaultResultsDir("validate");
        Files.createDirectories(dir);
        String reproduce = "hmmtest " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        List<Path> done = new ArrayList<>();
        HarnessException failure = null;
        for (Run r : runs) {
            Progress.info("validate", "=== " + r.label() + ": " + r.spec().description());
            try {
                KernelRun.Result run = KernelRun.run(CacheDir.fromEnvironment(), r.spec(), r.label(), options.settings(),
                        dir.resolve(r.label()));
                if (fuzzSeconds > 0) {
                    fuzz(run, r.label(), dir.resolve(r.label()), reproduce);
                }
                done.add(dir.resolve(r.label()));
            } catch (HarnessException e) {
                Progress.always("hmmtest: " + r.label() + ": " + e.getMessage());
                failure = e;
                break; // a base that does not build, or a series that does not apply, ends the comparison
            }
        }
        ReportWriter.Result report = ReportWriter.writeAll(dir, done, done.isEmpty() ? Optional.empty() : Optional.of(0),
                reproduce);
        if (failure != null) {
            Files.writeString(dir.resolve(ReportWriter.TEXT), "\nVALIDATION STOPPED: " + failure.getMessage() + "\n",
                    java.nio.file.StandardOpenOption.APPEND);
        }
        Progress.always(Files.readString(dir.resolve(ReportWriter.TEXT)).stripTrailing());
        Progress.always("reports: " + dir);
        return failure != null ? failure.exitCode().code : report.verdict().exitCode.code;
    }

    /** A time-boxed differential run on the kernel just tested; its figures join that run's results. */
    private void fuzz(KernelRun.Result run, String label, Path runDir, String reproduce) throws java.io.IOException {
        CacheDir cache = CacheDir.fromEnvironment();
        Path initrd = new hmmtest.image.GuestImage(cache).build(run.build());
        hmmtest.vm.Accelerator.Choice acc = hmmtest.vm.Accelerator.choose(cache, run.build().bzImage(), options.accel);
        List<String> args = new ArrayList<>(List.of("console=ttyS0", "panic=-1", "oops=panic", "transparent_hugepage=madvise"));
        args.addAll(hmmtest.vm.CoherentMemory.kernelArgs(2048));
        hmmtest.differential.DifferentialRun.Settings s = new hmmtest.differential.DifferentialRun.Settings(seed, null,
                fuzzSeconds, false, 4, reproduce + "  # the differential run on '" + label
                        + "' (seed {seed}); minimal list: {actions}");
        Progress.info("validate", label + ": differential run, " + fuzzSeconds + " s");
        hmmtest.differential.DifferentialRun.Result r = new hmmtest.differential.DifferentialRun(run.build().bzImage(),
                initrd, acc, args, runDir.resolve("fuzz"), hmmtest.session.KnownIssues.read(
                        hmmtest.infra.Project.root().resolve("known-issues.txt"))).run(s);
        hmmtest.differential.DifferentialRun.addToResults(runDir.resolve("results.json"), s, r);
    }

    private List<Run> plan() {
        List<Run> runs = new ArrayList<>();
        if (variants != null && !variants.isEmpty()) {
            if (base != null || series != null) {
                throw new IllegalArgumentException("give --variants, or --base with --series, not both");
            }
            for (String v : variants) {
                runs.add(new Run(v, KernelSpec.variant(v, null).withConfig(profiles, List.of())));
            }
            return runs;
        }
        if (base == null || series == null) {
            throw new IllegalArgumentException("validate needs --base and --series, or --variants");
        }
        KernelSpec b = KernelSpec.shipped().containsKey(base)
                ? KernelSpec.variant(base, null)
                : new KernelSpec("base", KernelBase.parse(base), null, List.of(), List.of("hmm"), List.of(), "base " + base);
        if (b.series() != null) {
            throw new IllegalArgumentException("the base '" + base + "' already carries a series; use a plain base");
        }
        b = b.withConfig(profiles, List.of());
        runs.add(new Run("base", b.named(b.name())));
        runs.add(new Run("patched", b.withSeries(series, excludes).named(b.name() + "+series")
                .describedAs(b.description() + " + " + series.getFileName())));
        return runs;
    }
}
