package hmmtest.model.gen;

import hmmtest.uapi.AbiVersion;
import hmmtest.model.Action;
import hmmtest.model.Model;
import hmmtest.model.ModelOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Delta-debugging minimiser for failing action lists: ddmin over subsequences, then dropping single
 * actions, then simplifying arguments ({@link Action#simpler()}).
 *
 * <p>The predicate may be very expensive (the host boots a fresh VM per candidate), so every call
 * counts against the budget and the best list found so far is returned when it runs out. Each
 * candidate is first repaired: with the model-based repair, actions that became impossible (a CPU
 * access to a mapping whose mmap was removed, an ioctl on an fd that is no longer opened) are
 * dropped, and so is everything after an action the model predicts to crash the kernel. Repaired
 * candidates that were already tried, or equal the current best, cost nothing.
 */
public final class Shrinker {
    private final UnaryOperator<List<Action>> repair;
    private int calls;

    /** Shrinks with the model of {@code abi} as the repair step. */
    public Shrinker(AbiVersion abi) {
        this(abi, ModelOptions.defaults());
    }

    public Shrinker(AbiVersion abi, ModelOptions opts) {
        this(actions -> repairWithModel(actions, abi, opts));
    }

    /** Shrinks with a custom repair step (identity for a plain ddmin). */
    public Shrinker(UnaryOperator<List<Action>> repair) {
        this.repair = repair;
    }

    /** Predicate calls made by the last {@link #shrink}. */
    public int predicateCalls() {
        return calls;
    }

    /**
     * Replays the list on a fresh model and keeps the actions the model accepts, each in the state
     * the kept ones before it produce; stops after an action that crashes the kernel.
     */
    public static List<Action> repairWithModel(List<Action> actions, AbiVersion abi, ModelOptions opts) {
        Model m = new Model(abi, opts);
        List<Action> out = new ArrayList<>();
        for (Action a : actions) {
            if (m.invalid(a).isPresent()) {
                continue;
            }
            out.add(a);
            try {
                m.applyNominal(a);
            } catch (IllegalStateException fatal) {
                break; // the kernel is gone: nothing after this runs
            }
        }
        return out;
    }

    /**
     * @param failing a list for which {@code stillFails} is true
     * @param stillFails true if the candidate still shows the failure
     * @param budget maximum number of predicate calls
     * @return the smallest failing list found (at worst {@code failing} itself)
     */
    public List<Action> shrink(List<Action> failing, Predicate<List<Action>> stillFails, int budget) {
        Search s = new Search(failing, stillFails, budget);
        s.ddmin();
        boolean progress = true;
        while (progress && !s.exhausted()) {
            progress = s.dropEach();
            progress |= s.simplifyArguments();
        }
        calls = s.calls;
        return s.best;
    }

    private final class Search {
        final Predicate<List<Action>> stillFails;
        final int budget;
        final Set<List<String>> tried = new HashSet<>();
        List<Action> best;
        int calls;

        Search(List<Action> failing, Predicate<List<Action>> stillFails, int budget) {
            this.best = List.copyOf(failing);
            this.stillFails = stillFails;
            this.budget = budget;
            tried.add(text(best));
        }

        boolean exhausted() {
            return calls >= budget;
        }

        /** Repairs and tests a candidate; adopts it if it still fails. */
        boolean attempt(List<Action> candidate) {
            List<Action> c = List.copyOf(repair.apply(candidate));
            if (c.isEmpty() || exhausted() || !tried.add(text(c))) {
                return false;
            }
            calls++;
            if (stillFails.test(c)) {
                best = c;
                return true;
            }
            return false;
        }

        /** Zeller's ddmin: remove chunks (complements first), refine the granularity. */
        void ddmin() {
            int n = 2;
            while (best.size() >= 2 && !exhausted()) {
                List<List<Action>> chunks = split(best, n);
                boolean reduced = false;
                for (int i = 0; i < chunks.size() && !reduced; i++) {
                    if (attempt(without(chunks, i))) {
                        n = Math.max(n - 1, 2);
                        reduced = true;
                    }
                }
                for (int i = 0; i < chunks.size() && !reduced && n > 2; i++) {
                    if (attempt(chunks.get(i))) {
                        n = 2;
                        reduced = true;
                    }
                }
                if (!reduced) {
                    if (n >= best.size()) {
                        return;
                    }
                    n = Math.min(2 * n, best.size());
                }
            }
        }

        /** Tries removing each single action, last to first. */
        boolean dropEach() {
            boolean any = false;
            for (int i = best.size() - 1; i >= 0 && !exhausted(); i--) {
                if (i >= best.size()) {
                    continue;
                }
                List<Action> c = new ArrayList<>(best);
                c.remove(i);
                any |= attempt(c);
            }
            return any;
        }

        /** Tries simpler arguments for each action (fewer pages, offset 0, ...). */
        boolean simplifyArguments() {
            boolean any = false;
            for (int i = 0; i < best.size() && !exhausted(); i++) {
                for (Action s : best.get(i).simpler()) {
                    List<Action> c = new ArrayList<>(best);
                    c.set(i, s);
                    if (attempt(c)) {
                        any = true;
                        break;
                    }
                }
            }
            return any;
        }
    }

    private static List<List<Action>> split(List<Action> xs, int n) {
        List<List<Action>> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < n; i++) {
            int end = start + (xs.size() - start) / (n - i);
            if (end > start) {
                out.add(xs.subList(start, end));
            }
            start = end;
        }
        return out;
    }

    private static List<Action> without(List<List<Action>> chunks, int skip) {
        List<Action> out = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            if (i != skip) {
                out.addAll(chunks.get(i));
            }
        }
        return out;
    }

    private static List<String> text(List<Action> xs) {
        List<String> out = new ArrayList<>();
        for (Action a : xs) {
            out.add(a.toText());
        }
        return out;
    }
}
