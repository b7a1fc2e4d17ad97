package hmmtest.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A golden corpus file: a header block, a blank line, then raw console output. The header has
 * {@code #} comments and, per expected report in order, a {@code TITLE:} line followed by its
 * other keys. No {@code TITLE:} means the log must contain no crash.
 */
record CorpusFile(Path path, List<String> comments, List<Expected> expected, List<String> console) {

    static final Set<String> KEYS = Set.of("TITLE", "ALT", "TYPE", "FRAME", "CORRUPTED", "FATAL", "CALLER");

    /** What one report must look like; absent keys mean none / false. */
    record Expected(String title, List<String> alts, String type, String frame, boolean corrupted, boolean fatal,
            String caller) {

        static Expected of(CrashReport r) {
            return new Expected(r.title(), r.altTitles(), r.kind().name(), r.guiltyFrame().orElse(null),
                    r.corrupted(), r.fatal(), r.callerId().orElse(null));
        }

        List<String> headerLines() {
            List<String> lines = new ArrayList<>();
            lines.add("TITLE: " + title);
            alts.forEach(alt -> lines.add("ALT: " + alt));
            lines.add("TYPE: " + type);
            if (frame != null) {
                lines.add("FRAME: " + frame);
            }
            if (corrupted) {
                lines.add("CORRUPTED: Y");
            }
            if (fatal) {
                lines.add("FATAL: Y");
            }
            if (caller != null) {
                lines.add("CALLER: " + caller);
            }
            return lines;
        }
    }

    static CorpusFile read(Path path) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int blank = lines.indexOf("");
        if (blank < 0) {
            throw new IllegalArgumentException(path + ": no blank line between header and console");
        }
        List<String> comments = new ArrayList<>();
        List<Expected> expected = new ArrayList<>();
        Builder current = null;
        for (String line : lines.subList(0, blank)) {
            if (line.startsWith("#")) {
                comments.add(line);
                continue;
            }
            int colon = line.indexOf(": ");
            String key = colon < 0 ? line : line.substring(0, colon);
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(path + ": unknown header key in '" + line + "'");
            }
            String value = line.substring(colon + 2).trim();
            if (key.equals("TITLE")) {
                if (current != null) {
                    expected.add(current.build());
                }
                current = new Builder(value);
            } else if (current == null) {
                throw new IllegalArgumentException(path + ": " + key + " before any TITLE");
            } else {
                current.set(key, value, path);
            }
        }
        if (current != null) {
            expected.add(current.build());
        }
        return new CorpusFile(path, comments, expected, List.copyOf(lines.subList(blank + 1, lines.size())));
    }

    /** Rewrites the header from actual reports, keeping the comments and the console untouched. */
    void rewrite(List<CrashReport> reports) {
        List<String> out = new ArrayList<>(comments);
        reports.forEach(r -> out.addAll(Expected.of(r).headerLines()));
        out.add("");
        out.addAll(console);
        try {
            Files.write(path, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Builder {
        private final String title;
        private final List<String> alts = new ArrayList<>();
        private String type;
        private String frame;
        private boolean corrupted;
        private boolean fatal;
        private String caller;

        Builder(String title) {
            this.title = title;
        }

        void set(String key, String value, Path path) {
            switch (key) {
                case "ALT" -> alts.add(value);
                case "TYPE" -> type = value;
                case "FRAME" -> frame = value;
                case "CORRUPTED" -> corrupted = yes(value, path);
                case "FATAL" -> fatal = yes(value, path);
                case "CALLER" -> caller = value;
                default -> throw new IllegalStateException(key);
            }
        }

        private static boolean yes(String value, Path path) {
            if (!value.equals("Y")) {
                throw new IllegalArgumentException(path + ": flags are written 'Y' or left out, got " + value);
            }
            return true;
        }

        Expected build() {
            return new Expected(title, List.copyOf(alts), type, frame, corrupted, fatal, caller);
        }
    }
}
