package hmmtest.bisect;

import hmmtest.infra.CacheDir;
import hmmtest.infra.HarnessException;
import hmmtest.infra.Progress;
import hmmtest.kernel.KernelSpec;
import hmmtest.report.Bisection;
import hmmtest.report.RunReport;
import hmmtest.results.TestStatus;
import hmmtest.series.Patch;
import hmmtest.series.Series;
import hmmtest.series.SeriesReader;
import hmmtest.pipeline.KernelRun;
import hmmtest.session.RunSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Names the first patch of a series that breaks what the base passes, as 0-day and syzbot do: a
 * binary search over prefixes of the series (base + patches 1..k), each built through the kept
 * build directory (so only what the next patches change is recompiled) and run with just the
 * tests that failed. A flaky test must not mislead it: a prefix counts as good only after
 * {@code runsPerStep} clean runs, as bad at its first failure; and if no prefix short of the whole
 * series failed, the whole series is run again before it is blamed.
 */
public final class SeriesBisector {
    private SeriesBisector() {}

    /** What to bisect: the base, the series as validate got it, and the tests that newly failed. */
    public record Request(KernelSpec base, Path series, List<String> excludes, List<String> tests, RunSettings settings,
            Path dir, int runsPerStep) {}

    /** The series' patch count, or 0 when it cannot be read (then there is nothing to bisect). */
    public static int patchCount(Path series) {
        try {
            return SeriesReader.read(series).patches().size();
        } catch (IOException e) {
            return 0;
        }
    }

    public static Bisection run(CacheDir cache, Request req) {
        Series series;
        try {
            series = SeriesReader.read(req.series());
        } catch (IOException e) {
            return stopped(req, 0, List.of(), "the series cannot be read again: " + e.getMessage());
        }
        List<Patch> patches = series.patches();
        int n = patches.size();
        Progress.always("[bisect] " + req.tests().size() + " new failure(s) over " + n + " patches: "
                + String.join(", ", req.tests()));
        List<Bisection.Step> steps = new ArrayList<>();
        int good = 0;
        int bad = n;
        while (bad - good > 1) {
            int mid = (good + bad) >>> 1;
            Bisection.Step step = tryPrefix(cache, req, patches, mid);
            steps.add(step);
            if (step.verdict().equals("ERROR")) {
                return stopped(req, n, steps, "prefix of " + mid + " patch(es): " + step.detail());
            }
            if (step.verdict().equals("BAD")) {
                bad = mid;
            } else {
                good = mid;
            }
        }
        if (bad == n) { // nothing shorter failed: the whole series must fail again before it is blamed
            Bisection.Step whole = tryPrefix(cache, req, patches, n);
            steps.add(whole);
            if (whole.verdict().equals("ERROR")) {
                return stopped(req, n, steps, "the whole series: " + whole.detail());
            }
            if (!whole.verdict().equals("BAD")) {
                return new Bisection("NOT_REPRODUCED", "the whole series passed the failing tests " + req.runsPerStep()
                        + " time(s) in a row: the failure was not reproduced (flaky?)", req.tests(), n,
                        req.runsPerStep(), null, null, null, steps);
            }
        }
        Patch p = patches.get(bad - 1);
        Bisection b = new Bisection("FOUND", "prefix " + (bad - 1) + " passes, prefix " + bad + " fails", req.tests(), n,
                req.runsPerStep(), bad, p.title(), p.author() == null ? "" : p.author().toString(), steps);
        Progress.always("[bisect] " + b.headline());
        return b;
    }

    private static Bisection stopped(Request req, int n, List<Bisection.Step> steps, String why) {
        Progress.always("[bisect] stopped: " + why);
        return new Bisection("STOPPED", why, req.tests(), n, req.runsPerStep(), null, null, null, steps);
    }

    /** Builds base + the first k patches and runs the failing tests until one fails or all runs passed. */
    private static Bisection.Step tryPrefix(CacheDir cache, Request req, List<Patch> patches, int k) {
        Path stepDir = req.dir().resolve("bisect").resolve("prefix-" + k);
        Instant started = Instant.now();
        String build = "?";
        double buildSeconds = 0;
        long objects = 0;
        int runs = 0;
        int failedRuns = 0;
        String detail = "";
        try {
            Path prefix = writePrefix(patches, k, stepDir.resolve("series"));
            KernelSpec spec = req.base().withSeries(prefix, req.excludes()).named(req.base().name() + "+" + k + "of"
                    + patches.size()).describedAs(req.base().description() + " + patches 1.." + k + " of the series");
            Progress.always("[bisect] prefix " + k + "/" + patches.size() + ": " + patches.get(k - 1).title());
            // the bisection's own repeated runs are its confirmation: no reruns per step
            RunSettings settings = req.settings().alone().withSelect(String.join(",", req.tests())).withConfirmRuns(0);
            for (int i = 1; i <= req.runsPerStep(); i++) {
                KernelRun.Result r = KernelRun.run(cache, spec, "bisect-" + k, settings, stepDir.resolve("run-" + i));
                runs++;
                if (i == 1) {
                    var m = r.build().manifest();
                    boolean builtNow = Instant.parse(m.path("builtAt").asText(Instant.EPOCH.toString())).isAfter(started);
                    build = builtNow ? m.path("buildKind").asText("cold") : "cached";
                    buildSeconds = builtNow ? m.path("buildSeconds").asDouble() : 0;
                    objects = builtNow ? m.path("objectsCompiled").asLong() : 0;
                }
                RunReport report = RunReport.read(r.dir());
                List<String> failing = req.tests().stream().filter(t -> failed(report.status(t))).toList();
                List<String> notRun = req.tests().stream().filter(t -> report.status(t) == null
                        || report.status(t) == TestStatus.NOT_RUN).toList();
                if (!failing.isEmpty()) {
                    failedRuns++;
                    detail = "run " + i + ": " + failing.size() + " of the tests failed (" + failing.get(0) + ": "
                            + report.status(failing.get(0)) + ")";
                    break;
                }
                if (!notRun.isEmpty()) {
                    return new Bisection.Step(k, "ERROR", build, buildSeconds, objects, runs, failedRuns,
                            "run " + i + " did not run " + notRun.get(0), stepDir.toString());
                }
                detail = "passed " + i + " run(s)";
            }
        } catch (HarnessException e) {
            return new Bisection.Step(k, "ERROR", build, buildSeconds, objects, runs, failedRuns,
                    e.exitCode().name().toLowerCase() + ": " + e.getMessage().lines().findFirst().orElse(""),
                    stepDir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String verdict = failedRuns > 0 ? "BAD" : "GOOD";
        Progress.always("[bisect] prefix " + k + ": " + verdict + " (" + detail + "; kernel " + build
                + (build.equals("cached") ? "" : String.format(", built in %.0f s, %d objects", buildSeconds, objects)) + ")");
        return new Bisection.Step(k, verdict, build, buildSeconds, objects, runs, failedRuns, detail, stepDir.toString());
    }

    private static boolean failed(TestStatus s) {
        return s == TestStatus.FAIL || s == TestStatus.ERROR || s == TestStatus.CRASHED;
    }

    static Path writePrefix(List<Patch> patches, int k, Path dir) throws IOException {
        return hmmtest.series.SeriesWriter.write(patches.subList(0, k), dir);
    }
}
