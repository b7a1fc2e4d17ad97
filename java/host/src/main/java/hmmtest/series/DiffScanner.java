package hmmtest.series;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the git diff inside a mail body or a page and checks its structure.
 *
 * <p>The diff starts at the first line beginning with {@code diff --git}. Hunks are read by the
 * line counts in their {@code @@} headers, so the diff ends exactly where the last hunk ends: a
 * {@code -- } mail signature, a version trailer or a page footer after it is not part of it. Quoted
 * review replies ({@code > diff --git}) never match because the line must start with "diff".
 */
final class DiffScanner {

    private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@.*$");
    private static final Pattern BINARY_LINE = Pattern.compile("^(?:(?:literal|delta) \\d+|[A-Za-z][0-9A-Za-z!#$%&()*+;<=>?@^_`{|}~-]*|)$");
    private static final List<String> HEADER_PREFIXES = List.of("old mode ", "new mode ", "deleted file mode ",
            "new file mode ", "similarity index ", "dissimilarity index ", "rename from ", "rename to ",
            "copy from ", "copy to ", "index ", "--- ", "+++ ", "Binary files ");

    private DiffScanner() {
    }

    /** Returns the diff in {@code text}, or null when it holds no {@code diff --git} line. */
    static Diff find(String text) throws SeriesFormatException {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1); // artefact of the final newline, not an empty context line
        }
        int start = 0;
        while (start < lines.size() && !lines.get(start).startsWith("diff --git ")) {
            start++;
        }
        if (start == lines.size()) {
            return null;
        }
        List<Diff.FileDiff> files = new ArrayList<>();
        int i = start;
        while (i < lines.size() && lines.get(i).startsWith("diff --git ")) {
            FileBuilder file = new FileBuilder(lines.get(i));
            i++;
            while (i < lines.size() && isHeader(lines.get(i))) {
                if (lines.get(i).equals("GIT binary patch")) {
                    i++;
                    while (i < lines.size() && BINARY_LINE.matcher(lines.get(i)).matches()) {
                        i++;
                    }
                } else {
                    file.header(lines.get(i));
                    i++;
                }
            }
            while (i < lines.size() && lines.get(i).startsWith("@@ ")) {
                i = readHunk(lines, i, start, file);
            }
            files.add(file.build());
        }
        return new Diff(String.join("\n", lines.subList(start, i)) + "\n", files);
    }

    private static boolean isHeader(String line) {
        return line.equals("GIT binary patch") || HEADER_PREFIXES.stream().anyMatch(line::startsWith);
    }

    /** Reads one hunk starting at its header line; returns the index of the line after it. */
    private static int readHunk(List<String> lines, int at, int diffStart, FileBuilder file) throws SeriesFormatException {
        String header = lines.get(at);
        Matcher m = HUNK.matcher(header);
        if (!m.matches()) {
            throw new SeriesFormatException("malformed hunk header at diff line " + (at - diffStart + 1) + " for "
                    + file.path() + ": '" + header + "'");
        }
        int oldCount = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
        int newCount = m.group(4) == null ? 1 : Integer.parseInt(m.group(4));
        Diff.Hunk hunk = new Diff.Hunk(file.hunks.size() + 1, Integer.parseInt(m.group(1)), oldCount,
                Integer.parseInt(m.group(3)), newCount, header);
        int oldLeft = oldCount;
        int newLeft = newCount;
        int i = at + 1;
        while (oldLeft > 0 || newLeft > 0) {
            String line = i < lines.size() ? lines.get(i) : null;
            char c = line == null ? 0 : line.isEmpty() ? ' ' : line.charAt(0); // mailers drop the space of empty context lines
            switch (c) {
                case ' ' -> { oldLeft--; newLeft--; }
                case '-' -> oldLeft--;
                case '+' -> newLeft--;
                case '\\' -> { }
                default -> throw cutShort(file, hunk, oldLeft, newLeft, i - diffStart, line);
            }
            if (oldLeft < 0 || newLeft < 0) {
                throw cutShort(file, hunk, Math.max(oldLeft, 0), Math.max(newLeft, 0), i - diffStart, line);
            }
            i++;
        }
        if (i < lines.size() && lines.get(i).startsWith("\\")) {
            i++; // "\ No newline at end of file" after the last line
        }
        file.hunks.add(hunk);
        return i;
    }

    private static SeriesFormatException cutShort(FileBuilder file, Diff.Hunk hunk, int oldLeft, int newLeft,
            int index, String line) {
        return new SeriesFormatException("hunk #" + hunk.number() + " of " + file.path() + " (" + hunk.header()
                + ") does not match its line counts: " + oldLeft + " old and " + newLeft + " new lines still expected"
                + (line == null ? " at the end of the input" : " at diff line " + (index + 1) + ", found '" + line + "'"));
    }

    /** Collects the paths of one file section from its {@code diff --git} line and extended headers. */
    private static final class FileBuilder {
        private String oldPath;
        private String newPath;
        private final List<Diff.Hunk> hunks = new ArrayList<>();

        FileBuilder(String diffGitLine) {
            String[] paths = gitLinePaths(diffGitLine.substring("diff --git ".length()));
            oldPath = stripPrefix(paths[0]);
            newPath = stripPrefix(paths[1]);
        }

        void header(String line) {
            if (line.startsWith("--- ")) {
                oldPath = headerPath(line.substring(4));
            } else if (line.startsWith("+++ ")) {
                newPath = headerPath(line.substring(4));
            } else if (line.startsWith("rename from ") || line.startsWith("copy from ")) {
                oldPath = unquote(line.substring(line.indexOf(" from ") + 6));
            } else if (line.startsWith("rename to ") || line.startsWith("copy to ")) {
                newPath = unquote(line.substring(line.indexOf(" to ") + 4));
            } else if (line.startsWith("new file mode ")) {
                oldPath = null;
            } else if (line.startsWith("deleted file mode ")) {
                newPath = null;
            }
        }

        String path() {
            return newPath != null ? newPath : oldPath;
        }

        Diff.FileDiff build() {
            return new Diff.FileDiff(oldPath, newPath, hunks);
        }

        private static String headerPath(String s) {
            int tab = s.indexOf('\t'); // git appends a tab to names with spaces
            String p = unquote(tab >= 0 ? s.substring(0, tab) : s);
            return p.equals("/dev/null") ? null : stripPrefix(p);
        }

        private static String stripPrefix(String p) {
            int slash = p.indexOf('/');
            return slash >= 0 ? p.substring(slash + 1) : p;
        }

        /** Splits "a/X b/Y"; unquoted names with spaces are only unambiguous when X equals Y. */
        private static String[] gitLinePaths(String rest) {
            if (rest.startsWith("\"")) {
                int end = closingQuote(rest);
                return new String[] {unquote(rest.substring(0, end + 1)), unquote(rest.substring(end + 1).strip())};
            }
            int n = rest.length();
            if (n % 2 == 1 && rest.charAt(n / 2) == ' ') {
                String a = rest.substring(0, n / 2);
                String b = rest.substring(n / 2 + 1);
                if (a.indexOf('/') >= 0 && a.substring(a.indexOf('/')).equals(b.substring(Math.max(b.indexOf('/'), 0)))) {
                    return new String[] {a, b};
                }
            }
            int sep = rest.indexOf(" b/");
            if (sep < 0) {
                sep = rest.lastIndexOf(' ');
            }
            return sep < 0 ? new String[] {rest, rest} : new String[] {rest.substring(0, sep), unquote(rest.substring(sep + 1))};
        }

        private static int closingQuote(String s) {
            for (int i = 1; i < s.length(); i++) {
                if (s.charAt(i) == '\\') {
                    i++;
                } else if (s.charAt(i) == '"') {
                    return i;
                }
            }
            return s.length() - 1;
        }

        /** Undoes git's C-style quoting of unusual names ("a/\303\251t\303\251.c"). */
        private static String unquote(String s) {
            if (s.length() < 2 || !s.startsWith("\"") || !s.endsWith("\"")) {
                return s;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 1; i < s.length() - 1; i++) {
                char c = s.charAt(i);
                if (c != '\\' || i + 1 >= s.length() - 1) {
                    out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                    continue;
                }
                char e = s.charAt(++i);
                if (e >= '0' && e <= '7' && i + 2 < s.length() - 1) {
                    out.write(Integer.parseInt(s.substring(i, i + 3), 8));
                    i += 2;
                } else {
                    out.write(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        case 'a' -> 7;
                        case 'b' -> '\b';
                        case 'f' -> '\f';
                        case 'v' -> 11;
                        default -> e;
                    });
                }
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
