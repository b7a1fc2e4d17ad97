package hmmtest.report;

import hmmtest.results.TestStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runs one validation reports on, each with a unique label (its variant name), the base
 * among them if there is one, and every other run compared against it. Without a base each run
 * stands alone: compared with nothing, so every bad test and every crash counts as new.
 */
public final class RunSet {
    private final List<RunReport> runs;
    private final List<String> labels = new ArrayList<>();
    private final Integer baseIndex;
    private final Map<Integer, Comparison> comparisons = new HashMap<>();
    private final Bisection bisection;

    private RunSet(List<RunReport> runs, Integer baseIndex, Bisection bisection) {
        this.runs = List.copyOf(runs);
        this.baseIndex = baseIndex;
        this.bisection = bisection;
        Map<String, Integer> seen = new HashMap<>();
        for (RunReport r : runs) {
            int n = seen.merge(r.variant(), 1, Integer::sum);
            labels.add(n == 1 ? r.variant() : r.variant() + "-" + n);
        }
        RunReport reference = baseIndex == null ? nothing() : runs.get(baseIndex);
        for (int i = 0; i < runs.size(); i++) {
            if (baseIndex == null || i != baseIndex) {
                comparisons.put(i, Comparison.of(reference, runs.get(i)));
            }
        }
    }

    public static RunSet of(List<RunReport> runs, Optional<Integer> baseIndex) {
        baseIndex.ifPresent(b -> {
            if (b < 0 || b >= runs.size()) {
                throw new IllegalArgumentException("base index " + b + " is not one of the " + runs.size() + " runs");
            }
        });
        return new RunSet(runs, baseIndex.orElse(null), null);
    }

    /** The same runs with the bisection of the series that broke them (validate's {@code bisect.json}). */
    public RunSet withBisection(Optional<Bisection> b) {
        return new RunSet(runs, baseIndex, b.orElse(null));
    }

    /** Which patch first broke the new failures, when validate bisected the series. */
    public Optional<Bisection> bisection() {
        return Optional.ofNullable(bisection);
    }

    public List<RunReport> runs() {
        return runs;
    }

    public String label(int i) {
        return labels.get(i);
    }

    public Optional<Integer> baseIndex() {
        return Optional.ofNullable(baseIndex);
    }

    public boolean isBase(int i) {
        return baseIndex != null && baseIndex == i;
    }

    /** Run {@code i} against the base (or against nothing); empty for the base itself. */
    public Optional<Comparison> comparison(int i) {
        return Optional.ofNullable(comparisons.get(i));
    }

    /** Indexes of the runs under test: all but the base. */
    public List<Integer> patchedIndexes() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            if (!isBase(i)) {
                out.add(i);
            }
        }
        return out;
    }

    public List<String> testIds() {
        return Comparison.testIds(runs);
    }

    public boolean newFailure(int run, String test) {
        return comparison(run).map(c -> c.rows().stream().anyMatch(r -> r.test().equals(test) && r.newFailure()))
                .orElse(false);
    }

    public Verdict verdict() {
        Verdict v = runs.isEmpty() || runs.stream().anyMatch(r -> !r.complete()) ? Verdict.INCOMPLETE : Verdict.PASS;
        for (Comparison c : comparisons.values()) {
            if (!c.newFailures().isEmpty()) {
                v = v.worst(Verdict.NEW_FAILURES);
            }
            if (!c.newCrashes().isEmpty()
                    || c.newFailures().stream().anyMatch(r -> r.patched() == TestStatus.CRASHED)) {
                v = v.worst(Verdict.CRASH_IN_PATCHED);
            }
        }
        return v;
    }

    /** A run with nothing in it: what a run is compared with when there is no base. */
    private static RunReport nothing() {
        return new RunReport(java.nio.file.Path.of(""), "(none)", "", "", KernelManifest.NONE, "", Map.of(),
                List.of(), List.of(), List.of(), List.of(), List.of(), null, null, List.of(), Optional.empty(),
                List.of(), null, List.of(), List.of(), null);
    }

    /** When the earliest of the runs began, as its results.json says (null for runs from before it said). */
    public java.time.Instant startedAt() {
        return runs().stream().map(RunReport::startedAt).filter(java.util.Objects::nonNull)
                .map(java.time.Instant::parse).min(java.util.Comparator.naturalOrder()).orElse(null);
    }
}
