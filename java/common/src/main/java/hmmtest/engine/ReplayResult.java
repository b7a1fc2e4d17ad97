package hmmtest.engine;

import hmmtest.model.Action;
import hmmtest.model.Outcome;
import hmmtest.model.Prediction;
import java.util.ArrayList;
import java.util.List;

/**
 * How a replayed action list went.
 *
 * @param status how it ended
 * @param steps every executed action with the model's prediction and what was observed
 * @param skipped actions left out because the model refused them in their state (with the reason)
 * @param stoppedAt index in the given list of the action the replay stopped at (-1 if it completed)
 * @param note a readable account of why it stopped (empty if it completed)
 */
public record ReplayResult(Status status, List<Step> steps, List<String> skipped, int stoppedAt, String note) {

    public enum Status {
        /** Every action's outcome was one the model allows. */
        AGREED,
        /** An outcome the model does not allow: the last step. */
        DIVERGED,
        /** The next action would reach a hazard the replay was told to avoid; it was not executed. */
        HAZARD_AVOIDED,
        /** The model said the last step crashes the kernel; it did not. The model cannot go on. */
        HAZARD_SURVIVED,
        /** The executor could not do its part (not a kernel verdict). */
        EXECUTOR_ERROR,
        /**
         * The outcomes so far left the model more alternative states than it tracks
         * ({@link hmmtest.model.ModelOptions#maxWorlds}); it dropped some, so a later "divergence"
         * could be a dropped state's doing. The replay stops here (no verdict).
         */
        AMBIGUOUS
    }

    /** One executed action. */
    public record Step(int index, Action action, Prediction prediction, Outcome observed) {
        public boolean agrees() {
            return prediction.allows(observed);
        }
    }

    public ReplayResult {
        steps = List.copyOf(steps);
        skipped = List.copyOf(skipped);
    }

    public boolean diverged() {
        return status == Status.DIVERGED;
    }

    /** The diverging step, if the replay diverged. */
    public Step last() {
        return steps.isEmpty() ? null : steps.get(steps.size() - 1);
    }

    /** {@link Verdicts#signature} of the divergence, or null. */
    public String signature() {
        if (status != Status.DIVERGED && status != Status.HAZARD_SURVIVED) {
            return null;
        }
        Step s = last();
        return Verdicts.signature(s.action(), s.prediction(), s.observed());
    }

    /** The executed actions, in order. */
    public List<Action> executed() {
        List<Action> out = new ArrayList<>();
        for (Step s : steps) {
            out.add(s.action());
        }
        return out;
    }

    /** The observed outcomes, in order. */
    public List<Outcome> observed() {
        List<Outcome> out = new ArrayList<>();
        for (Step s : steps) {
            out.add(s.observed());
        }
        return out;
    }

    /** Several lines: status, the stopping action and the diff. */
    public String report() {
        StringBuilder sb = new StringBuilder(status.name()).append(" after ").append(steps.size())
                .append(" actions");
        if (!skipped.isEmpty()) {
            sb.append(" (").append(skipped.size()).append(" skipped)");
        }
        sb.append('\n');
        if (!note.isEmpty()) {
            sb.append(note);
            if (!note.endsWith("\n")) {
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
