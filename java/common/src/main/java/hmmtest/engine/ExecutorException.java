package hmmtest.engine;

/** The executor could not perform its part of an action (a setup call failed): not a kernel verdict. */
public final class ExecutorException extends RuntimeException {
    public ExecutorException(String message) {
        super(message);
    }
}
