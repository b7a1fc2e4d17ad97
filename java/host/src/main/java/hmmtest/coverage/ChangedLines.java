package hmmtest.coverage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines a series adds or changes, numbered as in the tree with the whole series applied:
 * each patch's added lines, moved by the hunks of the patches after it (a later patch that
 * removes such a line removes it from the set).
 */
public final class ChangedLines {
    private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@");

    private ChangedLines() {}

    /** File (path in the tree) -> its changed lines, from the patches' unified diffs in order. */
    public static Map<String, TreeSet<Integer>> of(List<String> diffs) {
        Map<String, TreeSet<Integer>> changed = new LinkedHashMap<>();
        for (String diff : diffs) {
            String file = null;
            int oldLine = 0;
            int newLine = 0;
            // per file of this patch: (old line removed) and (old start, delta) to move earlier lines by
            Map<String, List<int[]>> moves = new LinkedHashMap<>();
            Map<String, TreeSet<Integer>> removed = new LinkedHashMap<>();
            Map<String, TreeSet<Integer>> added = new LinkedHashMap<>();
            Map<String, Map<Integer, Integer>> context = new LinkedHashMap<>(); // old -> new, inside hunks
            for (String l : diff.split("\n", -1)) {
                if (l.startsWith("+++ ")) {
                    String p = l.substring(4).strip();
                    file = p.equals("/dev/null") ? null : p.replaceFirst("^[ab]/", "");
                    continue;
                }
                if (l.startsWith("--- ") || l.startsWith("diff ")) {
                    continue;
                }
                Matcher h = HUNK.matcher(l);
                if (h.find()) {
                    oldLine = Integer.parseInt(h.group(1));
                    newLine = Integer.parseInt(h.group(3));
                    int oldCount = h.group(2) == null ? 1 : Integer.parseInt(h.group(2));
                    int newCount = h.group(4) == null ? 1 : Integer.parseInt(h.group(4));
                    if (file != null) {
                        moves.computeIfAbsent(file, k -> new ArrayList<>()).add(new int[] {oldLine + oldCount, newCount - oldCount});
                    }
                    continue;
                }
                if (file == null || l.isEmpty() && oldLine == 0) {
                    continue;
                }
                if (l.startsWith("+")) {
                    added.computeIfAbsent(file, k -> new TreeSet<>()).add(newLine++);
                } else if (l.startsWith("-")) {
                    removed.computeIfAbsent(file, k -> new TreeSet<>()).add(oldLine++);
                } else if (l.startsWith(" ")) {
                    context.computeIfAbsent(file, k -> new LinkedHashMap<>()).put(oldLine++, newLine++);
                }
            }
            // earlier patches' lines, renumbered through this patch
            for (var e : changed.entrySet()) {
                List<int[]> m = moves.getOrDefault(e.getKey(), List.of());
                TreeSet<Integer> gone = removed.getOrDefault(e.getKey(), new TreeSet<>());
                TreeSet<Integer> moved = new TreeSet<>();
                for (int line : e.getValue()) {
                    if (gone.contains(line)) {
                        continue;
                    }
                    Integer inHunk = context.getOrDefault(e.getKey(), Map.of()).get(line);
                    if (inHunk != null) {
                        moved.add(inHunk);
                        continue;
                    }
                    int shift = 0;
                    for (int[] mv : m) {
                        if (line >= mv[0]) {
                            shift += mv[1];
                        }
                    }
                    moved.add(line + shift);
                }
                e.setValue(moved);
            }
            added.forEach((f, lines) -> changed.computeIfAbsent(f, k -> new TreeSet<>()).addAll(lines));
        }
        return changed;
    }

    /** Each changed line of the instrumented files: executed, not executed, or not code (no counter). */
    public record Verdict(String file, List<Integer> reached, List<Integer> notReached, List<Integer> notCode,
            boolean instrumented) {}

    public static List<Verdict> judge(Map<String, TreeSet<Integer>> changed, Tracefile coverage) {
        List<Verdict> out = new ArrayList<>();
        for (var e : changed.entrySet()) {
            var data = coverage.file(e.getKey());
            if (data.isEmpty()) {
                out.add(new Verdict(e.getKey(), List.of(), List.of(), List.copyOf(e.getValue()), false));
                continue;
            }
            List<Integer> reached = new ArrayList<>();
            List<Integer> not = new ArrayList<>();
            List<Integer> notCode = new ArrayList<>();
            for (int line : e.getValue()) {
                Long count = data.get().lines().get(line);
                (count == null ? notCode : count > 0 ? reached : not).add(line);
            }
            out.add(new Verdict(e.getKey(), reached, not, notCode, true));
        }
        return out;
    }

    /** What validate prints: each file's reached and unreached changed lines, and a warning when none ran. */
    public static String render(List<Verdict> verdicts) {
        StringBuilder sb = new StringBuilder("coverage of the lines the series changed (patched kernel):\n");
        long reached = 0;
        long counted = 0;
        for (Verdict v : verdicts) {
            if (!v.instrumented()) {
                sb.append("  ").append(v.file()).append(": not instrumented by the coverage profile (").append(v.notCode().size())
                        .append(" changed lines not counted)\n");
                continue;
            }
            reached += v.reached().size();
            counted += v.reached().size() + v.notReached().size();
            sb.append("  ").append(v.file()).append(": ").append(v.reached().size()).append(" of ")
                    .append(v.reached().size() + v.notReached().size()).append(" changed code lines executed");
            if (!v.notReached().isEmpty()) {
                sb.append("; NO TEST REACHED lines ").append(ranges(v.notReached()));
            }
            sb.append('\n');
        }
        if (counted > 0 && reached == 0) {
            sb.append("  WARNING: the series' changed code was never executed: no test exercised this series\n");
        } else if (counted == 0) {
            sb.append("  WARNING: no changed line is counted code (only instrumented files are: ")
                    .append(String.join(", ", CoverageReport.FILES)).append(")\n");
        }
        return sb.toString();
    }

    /** "12-14, 20" */
    static String ranges(List<Integer> lines) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); ) {
            int j = i;
            while (j + 1 < lines.size() && lines.get(j + 1) == lines.get(j) + 1) {
                j++;
            }
            out.add(i == j ? String.valueOf(lines.get(i)) : lines.get(i) + "-" + lines.get(j));
            i = j + 1;
        }
        return String.join(", ", out);
    }
}
