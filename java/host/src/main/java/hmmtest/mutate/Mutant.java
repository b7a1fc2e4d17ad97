package hmmtest.mutate;

import java.util.List;

/**
 * One small fault in one line of a patched file: which line, which operator, the line before and
 * after. {@link #diff} is the one-hunk patch that makes it, against the patched tree.
 */
public record Mutant(int id, String file, int line, String operator, String original, String mutated) {

    /** A unified diff of the change, with up to three lines of context from {@code source} (the patched file). */
    public String diff(List<String> source) {
        int i = line - 1;
        int from = Math.max(0, i - 3);
        int to = Math.min(source.size(), i + 4);
        StringBuilder sb = new StringBuilder();
        sb.append("diff --git a/").append(file).append(" b/").append(file).append('\n');
        sb.append("--- a/").append(file).append('\n').append("+++ b/").append(file).append('\n');
        int count = to - from;
        sb.append("@@ -").append(from + 1).append(',').append(count).append(" +").append(from + 1).append(',')
                .append(count).append(" @@\n");
        for (int k = from; k < to; k++) {
            if (k == i) {
                sb.append('-').append(original).append('\n').append('+').append(mutated).append('\n');
            } else {
                sb.append(' ').append(source.get(k)).append('\n');
            }
        }
        return sb.toString();
    }

    /** "lib/test_hmm.c:1633 relational: >= -> >" */
    public String describe() {
        return file + ":" + line + " " + operator;
    }
}
