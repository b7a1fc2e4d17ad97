package hmmtest.series;

/** Outcome of a hunk, a file or a whole patch; declared from best to worst. */
public enum ApplyStatus {
    CLEAN("applied cleanly"),
    OFFSET("applied with offset"),
    FUZZ("applied with fuzz"),
    EXCLUDED("excluded"),
    NOT_TRIED("not tried"),
    FAILED("failed");

    private final String label;

    ApplyStatus(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    static ApplyStatus worst(ApplyStatus a, ApplyStatus b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
