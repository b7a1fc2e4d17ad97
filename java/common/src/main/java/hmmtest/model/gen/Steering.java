package hmmtest.model.gen;

import hmmtest.model.gen.ActionGenerator.Kind;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Coverage-steered action weights. After each action the caller reports how many kernel counters
 * it reached for the first time in the run (new edges); the kind that proposed it is credited, and
 * a kind's weight is its configured weight times a factor that grows with its recent credit. Credit
 * halves every {@link #HALF_LIFE} actions, so a kind that stops finding new code drifts back to its
 * configured weight, while one that keeps finding it stays favoured.
 *
 * <p>The factor is {@code 1 + min(MAX_BOOST, credit / CREDIT_PER_STEP)}: bounded, so no kind
 * starves the others (the state that rare paths need is built by the common kinds), and every kind
 * keeps at least its configured weight.
 *
 * <p>Pure logic, no I/O: the guest's coverage reader (CoverageFeedback, in the fuzz package)
 * supplies the counts. Deterministic for a given sequence of reports.
 */
public final class Steering {
    /** Actions after which all credit halves. */
    public static final int HALF_LIFE = 1500;
    /** The largest extra factor a kind's weight can get. */
    public static final int MAX_BOOST = 7;
    /** New edges worth one step of the factor. */
    public static final double CREDIT_PER_STEP = 2.0;
    /** Weights are the configured ones times this (integers, so a factor of 1.5 exists). */
    private static final int SCALE = 4;

    private final Map<Kind, Integer> base;
    private final double[] credit = new double[Kind.values().length];
    private final double[] edgesFound = new double[Kind.values().length];
    private final long[] actions = new long[Kind.values().length];
    private long sinceDecay;
    private double totalEdges;
    private boolean changed;

    public Steering(Map<Kind, Integer> configured) {
        this.base = new EnumMap<>(Kind.class);
        this.base.putAll(configured);
    }

    /**
     * One action of {@code kind} reached {@code newEdges} counters for the first time (its share,
     * when the counters are read once for several actions).
     *
     * @return true if the weights changed (call {@link #weights()} and hand them to the generator)
     */
    public boolean report(Kind kind, double newEdges) {
        actions[kind.ordinal()]++;
        if (newEdges > 0) {
            credit[kind.ordinal()] += newEdges;
            edgesFound[kind.ordinal()] += newEdges;
            totalEdges += newEdges;
            changed = true;
        }
        if (++sinceDecay >= HALF_LIFE) {
            sinceDecay = 0;
            for (int i = 0; i < credit.length; i++) {
                if (credit[i] > 0) {
                    credit[i] /= 2;
                    changed = true;
                }
            }
        }
        boolean c = changed;
        changed = false;
        return c;
    }

    /** The weights to generate with now: configured weight × SCALE × factor. */
    public Map<Kind, Integer> weights() {
        Map<Kind, Integer> w = new EnumMap<>(Kind.class);
        for (Map.Entry<Kind, Integer> e : base.entrySet()) {
            int b = e.getValue();
            if (b > 0) {
                w.put(e.getKey(), (int) Math.round(b * SCALE * factor(e.getKey())));
            }
        }
        return w;
    }

    /** The current factor of a kind's configured weight (1 .. 1 + MAX_BOOST). */
    public double factor(Kind k) {
        return 1 + Math.min(MAX_BOOST, credit[k.ordinal()] / CREDIT_PER_STEP);
    }

    /** New edges credited over the whole run. */
    public double totalEdges() {
        return totalEdges;
    }

    /** New edges credited to a kind over the whole run. */
    public double edges(Kind k) {
        return edgesFound[k.ordinal()];
    }

    /**
     * One line for the run's log: per kind that found anything, its actions, the new edges it found
     * and its factor now, most edges first.
     */
    public String describe() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "new edges %.0f;", totalEdges));
        Kind[] ks = Kind.values().clone();
        java.util.Arrays.sort(ks, (a, b) -> Double.compare(edgesFound[b.ordinal()], edgesFound[a.ordinal()]));
        for (Kind k : ks) {
            if (edgesFound[k.ordinal()] > 0) {
                sb.append(String.format(Locale.ROOT, " %s %.0f/%d x%.1f", k, edgesFound[k.ordinal()], actions[k.ordinal()],
                        factor(k)));
            }
        }
        return sb.toString();
    }
}
