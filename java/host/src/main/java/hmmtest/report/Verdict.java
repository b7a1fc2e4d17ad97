package hmmtest.report;

import hmmtest.infra.ExitCode;

/**
 * The one-word answer of a validation: what the caller turns into an exit code. A definite
 * finding outranks an unfinished run: a new crash is worth reporting even when another test
 * never ran, but "incomplete" is all one can say when nothing was found and something is missing.
 */
public enum Verdict {
    PASS("no new failures", ExitCode.OK),
    INCOMPLETE("a run did not finish everything it planned; no new failures among what ran", ExitCode.INCOMPLETE),
    NEW_FAILURES("tests that pass on the base fail on the patched kernel", ExitCode.TESTS_FAILED),
    CRASH_IN_PATCHED("the patched kernel crashed where the base did not", ExitCode.KERNEL_CRASH);

    public final String meaning;
    /** The CLI's exit code for this verdict (the caller may map differently). */
    public final ExitCode exitCode;

    Verdict(String meaning, ExitCode exitCode) {
        this.meaning = meaning;
        this.exitCode = exitCode;
    }

    Verdict worst(Verdict other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
