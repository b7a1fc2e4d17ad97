package hmmtest.cli;

import hmmtest.infra.CacheDir;
import hmmtest.infra.ExitCode;
import hmmtest.infra.HarnessException;
import hmmtest.infra.Progress;
import hmmtest.kernel.KernelBase;
import hmmtest.kernel.KernelSpec;
import hmmtest.report.ReportWriter;
import hmmtest.pipeline.KernelRun;
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

    @Option(names = "--config", paramLabel = "CONFIG_X=y",
            description = "Extra Kconfig option for every kernel (repeatable); verified like the profile's.")
    List<String> extraConfig = new ArrayList<>();

    @Option(names = "--debian-version", paramLabel = "DEBIAN_VERSION",
            description = "Pin the Debian source version of a Debian base (e.g. 6.12.118-1~deb12u1); default: newest.")
    String debianVersion;

    @Option(names = "--profile", paramLabel = "NAME", description = "Extra Kconfig profile (repeatable).")
    List<String> profiles = new ArrayList<>();

    @Option(names = "--coverage", description = "Kernel coverage of both kernels (the coverage profile; cold VMs):"
            + " coverage/index.html per kernel, and each line the series changed, reached by a test or not.")
    boolean coverage;

    @Option(names = "--out", description = "Report directory (default: results/<time>-validate).")
    Path out;

    @Option(names = "--fuzz-seconds", defaultValue = "60",
            description = "Time box of the differential run on each kernel, 0 for none (default: ${DEFAULT-VALUE}).")
    long fuzzSeconds;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the differential runs (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--kernel", paramLabel = "BZIMAGE", description = "Patched side built elsewhere: its bzImage (with --module).")
    Path kernel;

    @Option(names = "--module", paramLabel = "TEST_HMM_KO", description = "Patched side built elsewhere: its test_hmm.ko.")
    Path module;

    @Option(names = "--kernel-config", paramLabel = "DOTCONFIG", description = "Patched side built elsewhere: its .config.")
    Path kernelConfig;

    @Option(names = "--base-kernel", paramLabel = "BZIMAGE", description = "Base side built elsewhere: its bzImage.")
    Path baseKernel;

    @Option(names = "--base-module", paramLabel = "TEST_HMM_KO", description = "Base side built elsewhere: its test_hmm.ko.")
    Path baseModule;

    @Option(names = "--base-kernel-config", paramLabel = "DOTCONFIG", description = "Base side built elsewhere: its .config.")
    Path baseKernelConfig;

    @Option(names = "--clean-build", description = "Build from empty build directories (the kept ones are discarded).")
    boolean cleanBuild;

    @Option(names = "--no-bisect", description = "Do not bisect a multi-patch series whose patched kernel newly fails.")
    boolean noBisect;

    @Option(names = "--bisect-runs", defaultValue = "3",
            description = "Runs a prefix must pass to count as good during bisection (default: ${DEFAULT-VALUE}).")
    int bisectRuns;

    /** A kernel to run, with the label its results and reports carry. */
    record Run(String label, KernelSpec spec) {}

    @Override
    public Integer call() throws Exception {
        // Every choice checked before anything is built or booted (exit 2, the valid choices named).
        options.settings();
        if (coverage) {
            hmmtest.coverage.CoverageReport.requireTools();
            if (!profiles.contains(hmmtest.coverage.CoverageReport.PROFILE)) {
                profiles.add(hmmtest.coverage.CoverageReport.PROFILE);
            }
        }
        if (fuzzSeconds < 0) {
            throw new IllegalArgumentException("--fuzz-seconds must be 0 (no differential run) or positive (got "
                    + fuzzSeconds + ")");
        }
        FuzzCommand.positive("--bisect-runs", (long) bisectRuns);
        List<Run> runs = plan();
        runs.forEach(r -> hmmtest.kernel.PrebuiltKernel.check(r.spec())); // refused before the other side builds
        Path dir = out != null ? out : RunCommand.defaultResultsDir("validate");
        Files.createDirectories(dir);
        // the whole command line as given (global options and the subcommand included), each word shell-quoted
        String reproduce = hmmtest.infra.Project.cliCommand(spec.commandLine().getParseResult().originalArgs());
        List<Path> done = new ArrayList<>();
        List<KernelRun.Result> results = new ArrayList<>();
        HarnessException failure = null;
        for (Run r : runs) {
            Progress.info("validate", "=== " + r.label() + ": " + r.spec().description());
            try {
                KernelRun.Result run = KernelRun.run(CacheDir.fromEnvironment(), r.spec(), r.label(), options.settings(),
                        dir.resolve(r.label()), cleanBuild);
                if (fuzzSeconds > 0) {
                    fuzz(run, r.label(), dir.resolve(r.label()), reproduce);
                }
                done.add(dir.resolve(r.label()));
                results.add(run);
            } catch (HarnessException e) {
                Progress.always("hmmtest: " + r.label() + ": " + e.getMessage());
                failure = e;
                break; // a base that does not build, or a series that does not apply, ends the comparison
            }
        }
        if (failure == null && results.size() >= 2) {
            confirmOnBase(results);
        }
        if (failure == null && done.size() == 2) {
            bisect(runs, done, dir);
        }
        ReportWriter.Result report = ReportWriter.writeAll(dir, done, done.isEmpty() ? Optional.empty() : Optional.of(0),
                reproduce);
        if (coverage && failure == null && done.size() == 2 && runs.get(1).spec().series() != null) {
            String changed = changedLineCoverage(runs.get(1).spec().series(), done.get(1));
            Files.writeString(dir.resolve(ReportWriter.TEXT), "\n" + changed, java.nio.file.StandardOpenOption.APPEND);
        }
        if (failure != null) {
            Files.writeString(dir.resolve(ReportWriter.TEXT), "\nVALIDATION STOPPED: " + failure.getMessage() + "\n",
                    java.nio.file.StandardOpenOption.APPEND);
        }
        Progress.always(Files.readString(dir.resolve(ReportWriter.TEXT)).stripTrailing());
        Progress.always("reports: " + dir);
        return failure != null ? failure.exitCode().code : report.verdict().exitCode.code;
    }

    /** Which lines of the series a test executed on the patched kernel (its coverage/coverage.info). */
    private static String changedLineCoverage(Path series, Path patchedDir) throws java.io.IOException {
        Path info = patchedDir.resolve(hmmtest.coverage.CoverageReport.DIR).resolve("coverage.info");
        if (!Files.isRegularFile(info)) {
            return "coverage of the lines the series changed: no coverage of the patched kernel (its VMs sent no counters)\n";
        }
        List<String> diffs = new ArrayList<>();
        for (hmmtest.series.Patch p : hmmtest.series.SeriesReader.read(series).patches()) {
            diffs.add(new String(p.diffBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
        String text = hmmtest.coverage.ChangedLines.render(hmmtest.coverage.ChangedLines.judge(
                hmmtest.coverage.ChangedLines.of(diffs), hmmtest.coverage.Tracefile.read(info)));
        Files.writeString(patchedDir.resolve(hmmtest.coverage.CoverageReport.DIR).resolve("changed-lines.txt"), text);
        Progress.always(text.stripTrailing());
        return text;
    }

    /**
     * Every crash a patched kernel's confirmation reran runs the same way on the base kernel: a
     * crash that comes back there too is "also on base", not the series' fault.
     */
    private void confirmOnBase(List<KernelRun.Result> results) throws java.io.IOException {
        KernelRun.Result base = results.get(0);
        for (KernelRun.Result patched : results.subList(1, results.size())) {
            List<hmmtest.pipeline.Confirmation.Count> onBase = new ArrayList<>();
            for (hmmtest.pipeline.Confirmation.Count c : patched.confirmed()) {
                if (c.kind().equals(hmmtest.pipeline.Confirmation.Count.CRASH)) {
                    onBase.add(hmmtest.pipeline.Confirmation.rerun(base.config(), c.test(), c.kind(), c.title(),
                            options.settings().confirmRuns(), patched.dir().resolve("on-base")));
                }
            }
            hmmtest.pipeline.Confirmation.addToResults(patched.dir().resolve("results.json"), onBase, true);
        }
    }

    /**
     * When the patched kernel newly fails (or crashes) and its series has several patches, names
     * the first bad one (bisect.json, read by every report).
     */
    private void bisect(List<Run> runs, List<Path> done, Path dir) throws java.io.IOException {
        Files.deleteIfExists(dir.resolve(hmmtest.report.Bisection.FILE));
        KernelSpec patched = runs.get(1).spec();
        if (noBisect || variants != null || patched.series() == null || !(runs.get(0).spec().base().equals(patched.base()))) {
            return;
        }
        var set = hmmtest.report.RunSet.of(List.of(hmmtest.report.RunReport.read(done.get(0)),
                hmmtest.report.RunReport.read(done.get(1))), Optional.of(0));
        List<String> failing = set.comparison(1).map(c -> c.newFailures().stream().map(r -> r.test()).toList())
                .orElse(List.of());
        int patches = hmmtest.bisect.SeriesBisector.patchCount(patched.series());
        if (failing.isEmpty() || patches < 2) {
            return;
        }
        hmmtest.bisect.SeriesBisector.run(CacheDir.fromEnvironment(), new hmmtest.bisect.SeriesBisector.Request(
                runs.get(0).spec(), patched.series(), patched.excludes(), failing, options.settings(), dir,
                Math.max(1, bisectRuns))).write(dir);
    }

    /** A time-boxed differential run on the kernel just tested; its figures join that run's results. */
    private void fuzz(KernelRun.Result run, String label, Path runDir, String reproduce) throws java.io.IOException {
        CacheDir cache = CacheDir.fromEnvironment();
        Path initrd = new hmmtest.image.GuestImage(cache).build(run.build());
        hmmtest.vm.Accelerator.Choice acc = hmmtest.vm.Accelerator.choose(cache, run.build().bzImage(), options.accel);
        KernelRun.Bootable boot = new KernelRun.Bootable(run.build(), initrd, acc);
        long seed = options.shard() == null ? this.seed : FuzzCommand.shardSeed(this.seed, options.shard());
        hmmtest.differential.DifferentialRun.Settings s = new hmmtest.differential.DifferentialRun.Settings(seed, null,
                fuzzSeconds, false, 4, reproduce + "  # the differential run on '" + label
                        + "' (seed {seed}); minimal list: {actions}");
        Progress.info("validate", label + ": differential run, " + fuzzSeconds + " s");
        hmmtest.differential.DifferentialRun.Result r = new hmmtest.differential.DifferentialRun(
                KernelRun.differentialMachine(cache, boot, !options.noSnapshot), runDir.resolve("fuzz"), hmmtest.console.KnownIssues.read(
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
                runs.add(new Run(v, pinned(KernelSpec.variant(v, null).withConfig(profiles, extraConfig))));
            }
            return runs;
        }
        KernelSpec patchedPrebuilt = prebuilt("", kernel, module, kernelConfig);
        KernelSpec basePrebuilt = prebuilt("base-", baseKernel, baseModule, baseKernelConfig);
        if (patchedPrebuilt != null || basePrebuilt != null) {
            if (basePrebuilt == null && base == null) {
                throw new IllegalArgumentException("validate of a prebuilt kernel needs the base: --base, or "
                        + "--base-kernel with --base-module");
            }
            KernelSpec b = basePrebuilt != null ? basePrebuilt : baseSpec();
            KernelSpec p = patchedPrebuilt != null ? patchedPrebuilt
                    : b.withSeries(requireSeries(), excludes).named(b.name() + "+series");
            runs.add(new Run("base", b.withConfig(profiles, extraConfig)));
            runs.add(new Run("patched", p.withConfig(profiles, extraConfig)));
            return runs;
        }
        if (base == null || series == null) {
            throw new IllegalArgumentException("validate needs --base and --series, or --variants");
        }
        KernelSpec b = baseSpec();
        b = b.withConfig(profiles, extraConfig);
        runs.add(new Run("base", b.named(b.name())));
        runs.add(new Run("patched", b.withSeries(series, excludes).named(b.name() + "+series")
                .describedAs(b.description() + " + " + series.getFileName())));
        return runs;
    }

    private Path requireSeries() {
        if (series == null) {
            throw new IllegalArgumentException("validate needs --series, or the patched kernel prebuilt (--kernel, --module)");
        }
        return series;
    }

    /** A prebuilt side, or null when none of its three options is given. */
    private static KernelSpec prebuilt(String prefix, Path bz, Path ko, Path config) {
        if (bz == null && ko == null && config == null) {
            return null;
        }
        if (bz == null || ko == null) {
            throw new IllegalArgumentException("a prebuilt kernel needs both --" + prefix + "kernel and --" + prefix + "module");
        }
        return KernelSpec.prebuilt(prefix.isEmpty() ? "prebuilt" : "prebuilt-base", bz, ko, config);
    }

    /** --debian-version applies to Debian bases; a prebuilt or local one has nothing to pin. */
    private KernelSpec pinned(KernelSpec k) {
        return debianVersion == null || debianVersion.isBlank() || !(k.base() instanceof KernelBase.Debian) ? k
                : k.withVersion(debianVersion.startsWith("=") ? debianVersion.substring(1) : debianVersion);
    }

    private KernelSpec baseSpec() {
        KernelSpec b = KernelSpec.shipped().containsKey(base)
                ? KernelSpec.variant(base, null)
                : new KernelSpec("base", KernelBase.parse(base), null, List.of(), List.of("hmm"), List.of(), "base " + base);
        if (b.series() != null) {
            throw new IllegalArgumentException("the base '" + base + "' already carries a series; use a plain base");
        }
        return pinned(b);
    }
}
