package hmmtest.series;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a patchwork patch page saved as text. Layout (see the seed pages):
 * <pre>
 * diff mbox series
 * [v1,03/12] mm/rmap: convert ...           title with the patchwork tag
 * Message ID 2025...-4-david@redhat.com (mailing list archive)
 * Series mm: fixes for ... | expand
 * Commit Message
 * David Hildenbrand Jan. 29, 2025, 11:54 a.m. UTC     author and date
 * ...message... Signed-off-by: David Hildenbrand &lt;david@redhat.com&gt;
 * ---  diffstat
 * Comments                                   review replies, diffs quoted with "> "
 * Patch                                      a line that is exactly "Patch"
 * diff --git ...                             the patch itself
 * </pre>
 * Only the diff after the "Patch" line is taken: replies may quote the patch or carry their own
 * fix-up diffs.
 */
final class PatchworkPageParser {

    record Page(Patch patch, String seriesTitle) {
    }

    private static final Pattern LINK_WORDS = Pattern.compile("(?i)^(\\s*(diff|mbox|series|patch)\\s*)+$");
    private static final Pattern AUTHOR_LINE = Pattern.compile("^(.*?)\\s+([A-Z][a-z]+\\.? \\d{1,2}, \\d{4},? .*?)(?:\\s*\\|.*)?$");
    private static final Pattern NAME_EMAIL = Pattern.compile("(?:Signed-off-by:|From:)\\s*(.*?)\\s*<([^<>\\s]+@[^<>\\s]+)>");

    private PatchworkPageParser() {
    }

    /** Index of the "Patch" line that introduces the diff, or -1 when the text is not such a page. */
    static int patchMarker(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).strip().equals("Patch") && nextNonBlank(lines, i + 1).startsWith("diff --git ")) {
                return i;
            }
        }
        return -1;
    }

    static Page parse(List<String> lines, Path file, Charset charset) throws SeriesFormatException {
        int marker = patchMarker(lines);
        Diff diff;
        try {
            diff = DiffScanner.find(String.join("\n", lines.subList(marker + 1, lines.size())));
        } catch (SeriesFormatException e) {
            throw new SeriesFormatException(file + " (patchwork page, 'Patch' section): " + e.getMessage());
        }
        int commitMessage = indexOf(lines, "Commit Message", marker);
        int headerEnd = commitMessage >= 0 ? commitMessage : marker;

        String title = "";
        String messageId = null;
        String seriesTitle = null;
        for (String line : lines.subList(0, headerEnd)) {
            String s = line.strip();
            if (title.isEmpty() && !s.isEmpty() && !LINK_WORDS.matcher(s).matches()) {
                title = s;
            } else if (s.startsWith("Message ID ")) {
                messageId = s.substring("Message ID ".length()).split("\\s+")[0];
            } else if (s.startsWith("Series ")) {
                seriesTitle = s.substring("Series ".length()).replaceFirst("\\s*\\|\\s*expand$", "").strip();
            }
        }

        String name = null;
        String date = null;
        String message = "";
        if (commitMessage >= 0) {
            int authorLine = commitMessage + 1;
            while (authorLine < marker && lines.get(authorLine).isBlank()) {
                authorLine++;
            }
            Matcher m = AUTHOR_LINE.matcher(lines.get(authorLine).strip());
            if (m.matches()) {
                name = m.group(1);
                date = Dates.patchwork(m.group(2));
            } else {
                name = lines.get(authorLine).strip();
            }
            int end = authorLine + 1;
            while (end < marker && !lines.get(end).equals("---") && !lines.get(end).strip().equals("Comments")) {
                end++;
            }
            message = String.join("\n", lines.subList(authorLine + 1, end)).strip();
        }
        Author author = name == null ? null : new Author(name, emailOf(name, message, lines.subList(0, marker)));
        Patch patch = Patch.of(SubjectLine.parse(title), author, date, message, diff, charset,
                new PatchSource(file, 1, messageId));
        return new Page(patch, seriesTitle);
    }

    /** The page shows no address next to the author; take it from their own sign-off. */
    private static String emailOf(String name, String message, List<String> page) {
        for (String text : List.of(message, String.join("\n", page))) {
            Matcher m = NAME_EMAIL.matcher(text);
            while (m.find()) {
                if (m.group(1).strip().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    return m.group(2);
                }
            }
        }
        return null;
    }

    private static int indexOf(List<String> lines, String exact, int before) {
        for (int i = 0; i < before; i++) {
            if (lines.get(i).strip().equals(exact)) {
                return i;
            }
        }
        return -1;
    }

    private static String nextNonBlank(List<String> lines, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                return lines.get(i);
            }
        }
        return "";
    }
}
