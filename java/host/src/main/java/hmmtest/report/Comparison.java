package hmmtest.report;

import hmmtest.results.TestOutcome;
import hmmtest.results.TestStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A patched run against its base, test by test. A new failure is a test that failed, errored or
 * crashed on the patched kernel while the base did not fail it; a test the base did not have (or
 * did not get to) counts as not failing there, since nothing says it was broken before.
 */
public record Comparison(RunReport base, RunReport patched, List<Comparison.Row> rows) {

    /** One test: the verdicts on both kernels (null where that run has no such test). */
    public record Row(String test, TestStatus base, TestStatus patched) {
        public boolean newFailure() {
            return failed(patched) && !failed(base);
        }

        /** Failed on the base, passing on the patched kernel: worth saying, never a reason to fail. */
        public boolean fixed() {
            return failed(base) && patched == TestStatus.PASS;
        }

        /**
         * A verdict that says the kernel is broken. NOT_RUN says nothing about the kernel: it
         * never makes a new failure on the patched side (the run is incomplete instead) and never
         * excuses one on the base side.
         */
        static boolean failed(TestStatus s) {
            return s != null && s.bad() && s != TestStatus.NOT_RUN;
        }
    }

    /**
     * A patched crash that its confirmation reproduced on the base kernel counts as failing on the
     * base too: it is not the series' fault (the verdict still shows it, labelled "also on base").
     */
    public static Comparison of(RunReport base, RunReport patched) {
        Set<String> alsoOnBase = alsoOnBase(patched);
        List<Row> rows = new ArrayList<>();
        for (String id : testIds(List.of(base, patched))) {
            TestStatus b = base.status(id);
            rows.add(new Row(id, alsoOnBase.contains(id) && !Row.failed(b) ? TestStatus.CRASHED : b, patched.status(id)));
        }
        return new Comparison(base, patched, rows);
    }

    private static Set<String> alsoOnBase(RunReport patched) {
        Set<String> out = new LinkedHashSet<>();
        patched.confirmations().stream().filter(RunReport.Confirmed::alsoOnBase).forEach(c -> out.add(c.test()));
        return out;
    }

    public List<Row> newFailures() {
        return rows.stream().filter(Row::newFailure).toList();
    }

    /**
     * The patched kernel's crashes the base did not have (same test, same title). Crash probes
     * crash both kernels on purpose; only a crash the patches brought in is a finding.
     */
    public List<RunReport.Crash> newCrashes() {
        Set<String> alsoOnBase = alsoOnBase(patched);
        return patched.crashes().stream().filter(c -> !alsoOnBase.contains(c.test())).filter(c -> base.crashes().stream()
                .noneMatch(b -> b.title().equals(c.title()) && java.util.Objects.equals(b.test(), c.test())))
                .toList();
    }

    /** Every test of the runs once, in the first run's plan order, then the others' extras. */
    static List<String> testIds(List<RunReport> runs) {
        Set<String> ids = new LinkedHashSet<>();
        runs.forEach(r -> r.outcomes().stream().map(TestOutcome::id).forEach(ids::add));
        return new ArrayList<>(ids);
    }
}
