package hmmtest.series;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Builds a synthetic source tree that a diff applies to: each file holds the "before" lines of
 * every hunk at the hunk's old position (moved down by {@code shift} lines), with unique filler
 * lines in between. Stands in for a real kernel tree that cannot be used in unit tests.
 */
final class Preimage {

    private Preimage() {
    }

    /** {@code mangle} may alter a file's lines (path, text) to make its hunks fail. */
    static void write(String diffText, Path root, int shift, BiFunction<String, String, String> mangle)
            throws IOException {
        Diff diff = DiffScanner.find(diffText);
        List<String> lines = List.of(diffText.split("\n", -1));
        int at = 0;
        for (Diff.FileDiff file : diff.files()) {
            if (file.oldPath() == null) {
                continue;
            }
            List<String> content = new ArrayList<>();
            for (Diff.Hunk hunk : file.hunks()) {
                at = indexOf(lines, hunk.header(), at);
                List<String> before = new ArrayList<>();
                int i = at + 1;
                for (int old = 0; old < hunk.oldCount(); i++) {
                    String l = lines.get(i);
                    if (l.isEmpty() || l.charAt(0) == ' ' || l.charAt(0) == '-') {
                        before.add(l.isEmpty() ? "" : l.substring(1));
                        old++;
                    }
                }
                int start = hunk.oldStart() - 1 + shift;
                while (content.size() < start) {
                    content.add("/* filler " + file.path() + " " + content.size() + " */");
                }
                content.addAll(before);
            }
            for (int i = 0; i < 5; i++) {
                content.add("/* trailer " + i + " */");
            }
            Path target = root.resolve(file.oldPath());
            Files.createDirectories(target.getParent());
            String text = mangle.apply(file.oldPath(), String.join("\n", content) + "\n");
            Files.write(target, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static int indexOf(List<String> lines, String line, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).equals(line)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no line " + line);
    }
}
