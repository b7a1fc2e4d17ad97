package hmmtest.infra;

/** A failure the user can act on: a clear message and the exit code it maps to. */
public class HarnessException extends RuntimeException {
    private final ExitCode exitCode;

    public HarnessException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public HarnessException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
