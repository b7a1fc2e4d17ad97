package hmmtest.mutate;

import hmmtest.coverage.ChangedLines;
import hmmtest.differential.DifferentialRun;
import hmmtest.infra.CacheDir;
import hmmtest.infra.Exec;
import hmmtest.infra.ExitCode;
import hmmtest.infra.HarnessException;
import hmmtest.infra.Progress;
import hmmtest.kernel.KernelSpec;
import hmmtest.pipeline.KernelRun;
import hmmtest.results.TestOutcome;
import hmmtest.series.Patch;
import hmmtest.series.Series;
import hmmtest.series.SeriesReader;
import hmmtest.series.SeriesWriter;
import hmmtest.session.RunSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The mutation score of a series: the reference run (base + series) gives each selected test's
 * verdict; then each mutant (base + series + one fault in a changed line) is built through the
 * kept build directory (only the mutated file recompiles) and judged: killed when a test's
 * verdict changes or the time-boxed differential run diverges or crashes, timed out when its run
 * could not finish, survived otherwise. Mutants that do not compile are skipped. The budget is a
 * count of mutants and a wall-time cap; each judged mutant's kernel and image are removed from the
 * cache afterwards (they are never asked for again).
 */
public final class MutationRun {
    /** What to mutate and how to judge. */
    public record Settings(KernelSpec base, Path series, List<String> excludes, RunSettings run, long fuzzSeconds, long seed,
            int maxMutants, Duration budget, Path dir) {}

    public enum Verdict { KILLED, TIMED_OUT, SURVIVED, NOT_COMPILED, NOT_JUDGED }

    /** One mutant's fate: by what it was killed ("hmm.x: PASS -> FAIL", "differential run: 2 divergences"). */
    public record Judged(Mutant mutant, Verdict verdict, String detail, double seconds, String diff) {}

    private final CacheDir cache;
    private final Settings s;

    public MutationRun(CacheDir cache, Settings s) {
        this.cache = cache;
        this.s = s;
    }

    public MutationReport run() throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(s.dir());
        Series series = SeriesReader.read(s.series());
        KernelSpec patched = s.base().withSeries(s.series(), s.excludes()).named(s.base().name() + "+series")
                .describedAs(s.base().name() + " + " + s.series().getFileName());
        Progress.always("[mutate] reference run: " + patched.description());
        KernelRun.Result ref = KernelRun.run(cache, patched, "reference", s.run(), s.dir().resolve("reference"));
        Map<String, String> expected = verdicts(ref);
        Path sourceTree = Path.of(ref.build().manifest().path("sourceTree").asText());
        Map<String, List<String>> sources = patchedSources(series, sourceTree, s.dir().resolve("patched-tree"));
        List<String> diffs = series.patches().stream().map(p -> new String(p.diffBytes(), StandardCharsets.UTF_8)).toList();
        List<Mutant> mutants = new ArrayList<>();
        for (var e : ChangedLines.of(diffs).entrySet()) {
            List<String> src = sources.get(e.getKey());
            if (src != null && e.getKey().endsWith(".c")) {
                mutants.addAll(MutantGenerator.of(e.getKey(), src, e.getValue(), mutants.size() + 1));
            }
        }
        Progress.always("[mutate] " + mutants.size() + " mutants of " + ChangedLines.of(diffs).values().stream()
                .mapToInt(TreeSet::size).sum() + " changed lines; judging at most " + s.maxMutants() + " within "
                + s.budget().toMinutes() + " min");
        List<Judged> judged = new ArrayList<>();
        long deadline = t0 + s.budget().toNanos();
        for (Mutant m : mutants) {
            String diff = m.diff(sources.get(m.file()));
            if (judged.stream().filter(j -> j.verdict() != Verdict.NOT_JUDGED).count() >= s.maxMutants()
                    || System.nanoTime() > deadline) {
                judged.add(new Judged(m, Verdict.NOT_JUDGED, "outside the budget", 0, diff));
                continue;
            }
            judged.add(judge(m, diff, series.patches(), expected));
            Judged j = judged.get(judged.size() - 1);
            Progress.always(String.format(Locale.ROOT, "[mutate] mutant %d %s: %s%s (%.0f s)", m.id(), m.describe(),
                    j.verdict(), j.detail().isEmpty() ? "" : " - " + j.detail(), j.seconds()));
        }
        MutationReport report = new MutationReport(patched.description(), ref.dir(), judged,
                (System.nanoTime() - t0) / 1e9);
        report.write(s.dir());
        return report;
    }

    private Judged judge(Mutant m, String diff, List<Patch> patches, Map<String, String> expected) throws IOException {
        long t0 = System.nanoTime();
        Path dir = s.dir().resolve("mutants").resolve("m" + m.id());
        Path seriesDir = SeriesWriter.write(patches, dir.resolve("series"));
        String mail = "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\nFrom: hmmtest <hmmtest@localhost>\n"
                + "Subject: [PATCH] mutant " + m.id() + ": " + m.describe() + "\n\n---\n" + diff;
        Files.writeString(seriesDir.resolve(String.format("%04d.patch", patches.size() + 1)), mail);
        KernelSpec spec = s.base().withSeries(seriesDir, s.excludes()).named(s.base().name() + "+mutant" + m.id())
                .describedAs("mutant " + m.id() + " (" + m.describe() + ")");
        KernelRun.Result r;
        try {
            // cold VMs: a warm snapshot (300 MB) of a kernel that is judged once would only fill the disk
            r = KernelRun.run(cache, spec, "mutant-" + m.id(), s.run().withoutSnapshots(), dir.resolve("run"));
        } catch (HarnessException e) {
            if (e.exitCode() == ExitCode.BUILD_FAILED) {
                return new Judged(m, Verdict.NOT_COMPILED, firstLine(e.getMessage()), secs(t0), diff);
            }
            throw e;
        }
        try {
            Map<String, String> now = verdicts(r);
            for (var e : expected.entrySet()) {
                String got = now.getOrDefault(e.getKey(), "NOT_RUN");
                if (!got.equals(e.getValue()) && !got.equals("NOT_RUN")) {
                    return new Judged(m, Verdict.KILLED, e.getKey() + ": " + e.getValue() + " -> " + got, secs(t0), diff);
                }
            }
            if (r.session().incomplete() != null) {
                return new Judged(m, Verdict.TIMED_OUT, r.session().incomplete(), secs(t0), diff);
            }
            if (s.fuzzSeconds() > 0) {
                var boot = KernelRun.prepare(cache, spec, s.run().accel());
                DifferentialRun.Result f = new DifferentialRun(KernelRun.differentialMachine(cache, boot, false),
                        dir.resolve("fuzz"), hmmtest.console.KnownIssues.none()).run(new DifferentialRun.Settings(s.seed(), null,
                                s.fuzzSeconds(), false, 0, Duration.ZERO, "(mutant " + m.id() + ")", null, 1L, false,
                                DifferentialRun.Engine.DEFAULT)); // a kill needs no shrinking
                if (f.crashTitle() != null) {
                    return new Judged(m, Verdict.KILLED, "differential run: kernel crash: " + f.crashTitle(), secs(t0), diff);
                }
                if (f.divergences() > 0) {
                    return new Judged(m, Verdict.KILLED, "differential run: " + f.divergences() + " divergence(s) from the"
                            + " model in " + f.actions() + " actions", secs(t0), diff);
                }
            }
            return new Judged(m, Verdict.SURVIVED, "", secs(t0), diff);
        } finally {
            forget(r);
        }
    }

    /** A judged mutant's kernel and guest image: never asked for again, about 100 MB each. */
    private void forget(KernelRun.Result r) {
        try {
            Path image = new hmmtest.image.GuestImage(cache).build(r.build()).getParent();
            if (image.startsWith(cache.root())) {
                CacheDir.deleteQuietly(image);
            }
        } catch (RuntimeException e) {
            // nothing to remove
        }
        CacheDir.deleteQuietly(r.build().dir());
    }

    private static Map<String, String> verdicts(KernelRun.Result r) {
        Map<String, String> m = new LinkedHashMap<>();
        for (TestOutcome o : r.session().tests()) {
            m.put(o.id(), o.status().name());
        }
        return m;
    }

    /** The files the series touches, with the series applied to the base tree's copies (git apply, in order). */
    static Map<String, List<String>> patchedSources(Series series, Path baseTree, Path work) throws IOException {
        CacheDir.deleteQuietly(work);
        Files.createDirectories(work);
        Exec.check(List.of("git", "init", "-q"), work, work.resolve("git.log"), ExitCode.APPLY_FAILED, "git init");
        java.util.Set<String> files = new java.util.LinkedHashSet<>();
        series.patches().forEach(p -> files.addAll(p.files()));
        for (String f : files) {
            if (Files.isRegularFile(baseTree.resolve(f))) {
                Files.createDirectories(work.resolve(f).getParent());
                Files.copy(baseTree.resolve(f), work.resolve(f));
            }
        }
        int i = 0;
        for (Patch p : series.patches()) {
            Path patch = work.resolve(".patch-" + (++i));
            Files.write(patch, p.diffBytes());
            Exec.check(List.of("git", "apply", "-p1", patch.getFileName().toString()), work, work.resolve("apply.log"),
                    ExitCode.APPLY_FAILED, "git apply of patch " + i);
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String f : files) {
            if (Files.isRegularFile(work.resolve(f))) {
                out.put(f, Files.readAllLines(work.resolve(f)));
            }
        }
        return out;
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
