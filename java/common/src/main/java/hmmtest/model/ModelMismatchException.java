package hmmtest.model;

/** The kernel did something the model does not allow. */
public final class ModelMismatchException extends RuntimeException {
    private final transient Action action;
    private final transient Prediction prediction;
    private final transient Outcome observed;

    ModelMismatchException(Action action, Prediction prediction, Outcome observed) {
        super(action.toText() + "\n" + prediction.diff(observed));
        this.action = action;
        this.prediction = prediction;
        this.observed = observed;
    }

    public Action action() {
        return action;
    }

    public Prediction prediction() {
        return prediction;
    }

    public Outcome observed() {
        return observed;
    }
}
