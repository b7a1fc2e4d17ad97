package hmmtest.engine;

import hmmtest.engine.ReplayResult.Status;
import hmmtest.engine.ReplayResult.Step;
import hmmtest.model.Action;
import hmmtest.model.Hazard;
import hmmtest.model.Model;
import hmmtest.model.Outcome;
import hmmtest.model.Prediction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Replays an action list from a fresh state (executor reset, fresh model), comparing every
 * outcome with the model's prediction, and stops at the first divergence. Used by the in-guest
 * shrinker, by replay mode and by generated reproducer tests.
 */
public final class Replayer {

    /** Which hazards a replay may execute. */
    public enum HazardPolicy {
        /** Stop before any action that reaches a hazard (the main run's default). */
        AVOID,
        /** Execute hazards that only WARN; stop before the ones the model says crash the kernel. */
        NON_FATAL,
        /** Execute everything (replaying a kernel crash). */
        ALL;

        boolean allows(Prediction p) {
            if (p.hazards().isEmpty()) {
                return true;
            }
            return switch (this) {
                case AVOID -> false;
                case NON_FATAL -> p.fatalHazard().isEmpty();
                case ALL -> true;
            };
        }
    }

    private final Executor executor;
    private final Supplier<Model> models;
    private final Sink sink;
    private final LongSupplier sequenceIds;
    private long actionsExecuted;

    public Replayer(Executor executor, Supplier<Model> models, Sink sink, LongSupplier sequenceIds) {
        this.executor = executor;
        this.models = models;
        this.sink = sink;
        this.sequenceIds = sequenceIds;
    }

    /** Actions executed by all replays of this replayer. */
    public long actionsExecuted() {
        return actionsExecuted;
    }

    /**
     * Replays {@code actions}: resets the executor, announces a sequence of {@code kind}, skips
     * actions the model refuses in their state (a CPU access to a mapping whose mmap is not in the
     * list would be SIGSEGV), and stops at the first divergence, before a hazard the policy
     * forbids, or after a survived crash hazard.
     */
    public ReplayResult replay(List<Action> actions, Sink.SequenceKind kind, HazardPolicy hazards) {
        executor.reset();
        sink.sequence(sequenceIds.getAsLong(), kind);
        Model model = models.get();
        List<Step> steps = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            Action a = actions.get(i);
            Optional<String> invalid = model.invalid(a);
            if (invalid.isPresent()) {
                skipped.add(i + ": " + a.toText() + ": " + invalid.get());
                continue;
            }
            Prediction p = model.predict(a);
            if (!hazards.allows(p)) {
                return new ReplayResult(Status.HAZARD_AVOIDED, steps, skipped, i,
                        "not executed: " + a.toText() + " reaches " + p.hazards());
            }
            sink.action(steps.size(), a.toText());
            Outcome seen;
            try {
                seen = executor.perform(a);
            } catch (ExecutorException e) {
                return new ReplayResult(Status.EXECUTOR_ERROR, steps, skipped, i, a.toText() + ": " + e.getMessage());
            }
            actionsExecuted++;
            steps.add(new Step(steps.size(), a, p, seen));
            if (p.alternatives().isEmpty()) {
                return new ReplayResult(Status.HAZARD_SURVIVED, steps, skipped, i,
                        a.toText() + "\nthe model expected a dead kernel: " + fatal(p) + "\nobserved: " + seen);
            }
            if (!p.allows(seen)) {
                return new ReplayResult(Status.DIVERGED, steps, skipped, i, a.toText() + "\n" + p.diff(seen));
            }
            model.apply(a, seen);
            if (model.approximate()) {
                return new ReplayResult(Status.AMBIGUOUS, steps, skipped, i, a.toText()
                        + ": the model now has more alternative states than it tracks; replay stopped");
            }
        }
        return new ReplayResult(Status.AGREED, steps, skipped, -1, "");
    }

    private static String fatal(Prediction p) {
        return p.fatalHazard().map(Hazard::toString).orElse(p.hazards().toString());
    }
}
