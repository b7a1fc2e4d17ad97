package hmmtest.series;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code LC_ALL=C git apply --verbose} said, per file. Lines it prints (git 2.x, apply.c):
 * <pre>
 * Checking patch lib/test_hmm.c...
 * Hunk #1 succeeded at 797 (offset 2 lines).
 * Context reduced to (2/2) to apply fragment at 830          only with -C
 * Skipped patch 'Documentation/mm/hmm.rst'.                  --exclude
 * error: while searching for:                                the preimage of a failing hunk follows
 * error: patch failed: lib/test_hmm.c:795                    file and old start line of that hunk
 * error: lib/test_hmm.c: patch does not apply
 * Applied patch lib/test_hmm.c cleanly.
 * </pre>
 * A hunk git says nothing about applied at the position in its header.
 */
final class GitApplyOutput {

    /** A hunk that did not land where its header said; number 0 when git did not name it. */
    record HunkNote(int number, int appliedAt, int offset, String contextReduced) {
    }

    private static final Pattern CHECKING = Pattern.compile("^Checking patch (.*)\\.\\.\\.$");
    private static final Pattern HUNK = Pattern.compile("^Hunk #(\\d+) succeeded at (\\d+)(?: \\(offset (-?\\d+) lines?\\))?\\.$");
    private static final Pattern REDUCED = Pattern.compile("^Context reduced to \\((\\d+/\\d+)\\) to apply fragment at (\\d+)$");
    private static final Pattern SKIPPED = Pattern.compile("^Skipped patch '(.*)'\\.$");
    private static final Pattern FAILED = Pattern.compile("^error: patch failed: (.*):(\\d+)$");

    final Map<String, List<HunkNote>> notes = new LinkedHashMap<>();
    final Set<String> skipped = new HashSet<>();
    /** File name to the old start line of its failing hunk. */
    final Map<String, Integer> failedAt = new LinkedHashMap<>();
    /** Error lines in order, without the preimage git dumps after "while searching for:". */
    final List<String> errors = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();

    static GitApplyOutput parse(String output) {
        GitApplyOutput out = new GitApplyOutput();
        String current = null;
        boolean inPreimage = false;
        String previous = "";
        for (String line : output.split("\n")) {
            Matcher m;
            if (inPreimage && !FAILED.matcher(line).matches()) {
                continue; // file content git could not find; may look like anything
            }
            inPreimage = false;
            if ((m = CHECKING.matcher(line)).matches()) {
                current = m.group(1);
            } else if ((m = HUNK.matcher(line)).matches() && current != null) {
                int offset = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
                out.notes.computeIfAbsent(current, k -> new ArrayList<>())
                        .add(new HunkNote(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), offset, null));
            } else if ((m = REDUCED.matcher(line)).matches() && current != null) {
                List<HunkNote> list = out.notes.computeIfAbsent(current, k -> new ArrayList<>());
                int at = Integer.parseInt(m.group(2));
                HunkNote last = list.isEmpty() ? null : list.get(list.size() - 1);
                if (HUNK.matcher(previous).matches() && last != null && last.appliedAt() == at) {
                    // git prints the offset first, then the reduction, both for the same hunk
                    list.remove(list.size() - 1);
                    list.add(new HunkNote(last.number(), last.appliedAt(), last.offset(), m.group(1)));
                } else {
                    list.add(new HunkNote(0, at, 0, m.group(1)));
                }
            } else if ((m = SKIPPED.matcher(line)).matches()) {
                out.skipped.add(m.group(1));
            } else if (line.equals("error: while searching for:")) {
                inPreimage = true;
            } else if ((m = FAILED.matcher(line)).matches()) {
                out.failedAt.putIfAbsent(m.group(1), Integer.valueOf(m.group(2)));
                out.errors.add(line);
            } else if (line.startsWith("error: ") || line.startsWith("fatal: ")) {
                out.errors.add(line);
            } else if (line.startsWith("warning: ") || line.matches("^.*:\\d+: .*whitespace.*\\.$")) {
                out.warnings.add(line);
            }
            previous = line;
        }
        return out;
    }

    /** Error lines about one file ("error: FILE: ..." and "error: patch failed: FILE:N"). */
    List<String> errorsFor(String name) {
        return errors.stream()
                .filter(e -> e.startsWith("error: " + name + ":") || e.startsWith("error: patch failed: " + name + ":"))
                .toList();
    }
}
