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
}
