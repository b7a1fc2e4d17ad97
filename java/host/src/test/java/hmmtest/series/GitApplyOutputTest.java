package hmmtest.series;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GitApplyOutputTest {

    @Test
    void readsHunksSkipsAndFailuresPerFile() {
        GitApplyOutput out = GitApplyOutput.parse("""
                Skipped patch 'Documentation/mm/hmm.rst'.
                Checking patch lib/test_hmm.c...
                Hunk #1 succeeded at 782 (offset 2 lines).
                Hunk #2 succeeded at 790 (offset -3 lines).
                Context reduced to (2/2) to apply fragment at 790
                Checking patch mm/rmap.c...
                Context reduced to (3/1) to apply fragment at 2495
                Checking patch include/linux/rmap.h...
                error: while searching for:
                error: patch failed: not this one:1

                error: patch failed: include/linux/rmap.h:663
                error: include/linux/rmap.h: patch does not apply
                warning: 1 line adds whitespace errors.
                """);

        assertThat(out.skipped).containsExactly("Documentation/mm/hmm.rst");
        assertThat(out.notes.get("lib/test_hmm.c")).containsExactly(new GitApplyOutput.HunkNote(1, 782, 2, null),
                new GitApplyOutput.HunkNote(2, 790, -3, "2/2"));
        // a hunk that was fuzzed in place gets no "Hunk #N" line: the applier matches it by position
        assertThat(out.notes.get("mm/rmap.c")).containsExactly(new GitApplyOutput.HunkNote(0, 2495, 0, "3/1"));
        assertThat(out.failedAt).containsEntry("include/linux/rmap.h", 663);
        assertThat(out.errorsFor("include/linux/rmap.h")).containsExactly(
                "error: patch failed: include/linux/rmap.h:663", "error: include/linux/rmap.h: patch does not apply");
        assertThat(out.warnings).containsExactly("warning: 1 line adds whitespace errors.");
    }
}
