package hmmtest.infra;

/** Process exit codes of the CLI. Documented in the README; CI scripts depend on them. */
public enum ExitCode {
    OK(0, "every test passed"),
    TESTS_FAILED(1, "at least one test failed"),
    USAGE(2, "bad command line"),
    KERNEL_CRASH(3, "the kernel crashed (oops, panic, BUG, WARNING) or hung during a test"),
    INCOMPLETE(4, "infrastructure error or incomplete run (boot failure, timeout, QEMU error)"),
    BUILD_FAILED(5, "the kernel, module or guest image failed to build"),
    CONFIG_REJECTED(6, "a requested Kconfig symbol did not survive olddefconfig"),
    APPLY_FAILED(7, "a patch of the series did not apply"),
    MISSING_HOST_TOOLS(8, "a host package or tool is missing"),
    NO_SPACE(9, "no space left on the filesystem of the cache (or of the results directory)"),
    INTERRUPTED(130, "interrupted (SIGINT/SIGTERM)");

    public final int code;
    public final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The code of a run's results as a whole, by severity: a crash outranks an unfinished run, which outranks a failure. */
    private static final java.util.List<ExitCode> RESULT_SEVERITY = java.util.List.of(OK, TESTS_FAILED, INCOMPLETE,
            KERNEL_CRASH);

    /** The graver of two results' codes (merging shards); a code that is not a result's counts as incomplete. */
    public static ExitCode worst(ExitCode a, ExitCode b) {
        int ra = RESULT_SEVERITY.contains(a) ? RESULT_SEVERITY.indexOf(a) : RESULT_SEVERITY.indexOf(INCOMPLETE);
        int rb = RESULT_SEVERITY.contains(b) ? RESULT_SEVERITY.indexOf(b) : RESULT_SEVERITY.indexOf(INCOMPLETE);
        return ra >= rb ? a : b;
    }

    public static ExitCode ofCode(int code) {
        for (ExitCode e : values()) {
            if (e.code == code) {
                return e;
            }
        }
        return INCOMPLETE;
    }
}
