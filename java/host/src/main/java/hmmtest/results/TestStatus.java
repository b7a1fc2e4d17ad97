package hmmtest.results;

/** How a test ended. Every selected test ends in exactly one of these. */
public enum TestStatus {
    PASS, FAIL, SKIP, ERROR,
    /** The kernel crashed or hung while the test ran. */
    CRASHED,
    /** The test never ran; the outcome's message says why. */
    NOT_RUN;

    public boolean bad() {
        return this == FAIL || this == ERROR || this == CRASHED || this == NOT_RUN;
    }
}
