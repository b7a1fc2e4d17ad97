package hmmtest.series;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a patch series from a git format-patch file, an mbox, a directory of {@code *.patch}
 * files or a patchwork page saved as text, recognising the format from the content.
 */
public final class SeriesReader {

    private static final Pattern MAIL_HEADER = Pattern.compile("^(From|Subject|Date|Message-I[dD]|To|Cc|Return-Path|Received|MIME-Version|Content-Type):.*");
    private static final Pattern NUMBER_PREFIX = Pattern.compile("^(v\\d+-)?\\d{4}-");

    private SeriesReader() {
    }

    /** Reads the series at {@code path}; throws {@link SeriesFormatException} when it holds no patch. */
    public static Series read(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return readDirectory(path);
        }
        if (!Files.isRegularFile(path)) {
            throw new SeriesFormatException("no such file or directory: " + path + "; " + SeriesFormatException.EXPECTED);
        }
        FileContent content = load(path);
        if (PatchworkPageParser.patchMarker(content.lines) >= 0 && !Mbox.startsAsMbox(content.lines)
                && !looksLikeMail(content.lines)) {
            PatchworkPageParser.Page page = PatchworkPageParser.parse(content.lines, path, content.charset);
            return new Series(path, Series.Format.PATCHWORK_PAGE, page.seriesTitle(),
                    List.of(page.patch().withIndex(1)), List.of());
        }
        Collected collected = new Collected();
        Series.Format format = collect(path, content, collected);
        if (collected.patches.isEmpty()) {
            throw new SeriesFormatException("no diff found in " + path + ": " + SeriesFormatException.EXPECTED
                    + "; found " + String.join("; ", collected.notes));
        }
        if (format == Series.Format.MBOX) {
            collected.sortByNumber();
        }
        return collected.toSeries(path, format);
    }

    private static Series readDirectory(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(Files::isRegularFile).sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
        Collected collected = new Collected();
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (!name.endsWith(".patch")) {
                continue; // "series", README, ...: not patches
            }
            if (name.endsWith("0000-cover-letter.patch")) {
                collected.notes.add("skipped " + name + ": cover letter");
                continue;
            }
            collect(file, load(file), collected);
        }
        if (collected.patches.isEmpty()) {
            List<String> names = files.stream().map(p -> p.getFileName().toString()).toList();
            throw new SeriesFormatException("no patch found in directory " + dir + ": " + SeriesFormatException.EXPECTED
                    + "; found " + (names.isEmpty() ? "no files" : names.size() + " file(s): " + abbreviate(names))
                    + (collected.notes.isEmpty() ? "" : "; " + String.join("; ", collected.notes)));
        }
        return collected.toSeries(dir, Series.Format.DIRECTORY); // name order is the order
    }

    /** Adds the patches of one file to {@code collected}; returns the format it was read as. */
    private static Series.Format collect(Path file, FileContent content, Collected collected) throws IOException {
        if (Mbox.startsAsMbox(content.lines)) {
            List<String> messages = Mbox.split(content.lines);
            for (int i = 0; i < messages.size(); i++) {
                collected.add(MailMessage.parse(messages.get(i), content.charset), new PatchSource(file, i + 1, null));
            }
            return messages.size() == 1 ? Series.Format.FORMAT_PATCH : Series.Format.MBOX;
        }
        if (looksLikeMail(content.lines)) {
            collected.add(MailMessage.parse(content.text, content.charset), new PatchSource(file, 1, null));
            return Series.Format.FORMAT_PATCH;
        }
        Diff diff;
        try {
            diff = DiffScanner.find(content.text);
        } catch (SeriesFormatException e) {
            throw new SeriesFormatException(file + ": " + e.getMessage());
        }
        if (diff == null) {
            throw new SeriesFormatException("no diff found in " + file + ": " + SeriesFormatException.EXPECTED
                    + "; found " + content.lines.size() + " line(s) of text starting with '"
                    + abbreviate(firstNonBlank(content.lines)) + "'");
        }
        String stem = file.getFileName().toString().replaceFirst("\\.(patch|diff)$", "");
        SubjectLine subject = SubjectLine.parse(NUMBER_PREFIX.matcher(stem).replaceFirst(""));
        collected.patches.add(Patch.of(subject, null, null, "", diff, content.charset, new PatchSource(file, 1, null)));
        collected.notes.add(file.getFileName() + " is a bare diff: no author, subject taken from the file name");
        return Series.Format.PLAIN_DIFF;
    }

    private static boolean looksLikeMail(List<String> lines) {
        return !lines.isEmpty() && MAIL_HEADER.matcher(lines.get(0)).matches()
                && lines.stream().takeWhile(l -> !l.isEmpty()).anyMatch(l -> l.startsWith("Subject:"));
    }

    private static FileContent load(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length == 0 || new String(bytes, StandardCharsets.ISO_8859_1).isBlank()) {
            throw new SeriesFormatException(file + " is empty: " + SeriesFormatException.EXPECTED);
        }
        for (int i = 0; i < Math.min(bytes.length, 8000); i++) {
            if (bytes[i] == 0) {
                throw new SeriesFormatException(file + " is a binary file (NUL byte at offset " + i + "): "
                        + SeriesFormatException.EXPECTED);
            }
        }
        TextDecoding.Decoded decoded = TextDecoding.decode(bytes, StandardCharsets.UTF_8);
        String text = decoded.text();
        if (text.contains("\r\n") && text.replace("\r\n", "").indexOf('\n') < 0) {
            text = text.replace("\r\n", "\n"); // saved with CRLF line ends throughout: a mail client or browser did that
        }
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1); // the final newline ends the last line, it does not start one
        }
        return new FileContent(text, lines, decoded.charset());
    }

    private static String firstNonBlank(List<String> lines) {
        return lines.stream().filter(l -> !l.isBlank()).findFirst().orElse("").strip();
    }

    private static String abbreviate(Object o) {
        String s = String.valueOf(o);
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    private record FileContent(String text, List<String> lines, Charset charset) {
    }

    /** Patches and notes gathered from one or more files. */
    private static final class Collected {
        final List<Patch> patches = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        String title;

        void add(MailMessage mail, PatchSource source) throws SeriesFormatException {
            MailPatchParser.Parsed parsed = MailPatchParser.parse(mail, source);
            if (parsed.patch() != null) {
                patches.add(parsed.patch());
                return;
            }
            if (parsed.subject().isCoverLetter() && title == null) {
                title = parsed.subject().subject();
            }
            notes.add("skipped " + source + " \"" + abbreviate(parsed.subject().tag() + " " + parsed.subject().subject()).strip()
                    + "\": " + parsed.skipReason());
        }

        /** Mbox order is arrival order; the N/M numbers are the real order when every patch has one. */
        void sortByNumber() {
            if (patches.stream().allMatch(p -> p.number() != null)) {
                patches.sort(Comparator.comparing(Patch::number));
            }
        }

        Series toSeries(Path source, Series.Format format) {
            checkNumbering();
            List<Patch> indexed = new ArrayList<>();
            for (int i = 0; i < patches.size(); i++) {
                indexed.add(patches.get(i).withIndex(i + 1));
            }
            return new Series(source, format, title, indexed, notes);
        }

        /** A gap or duplicate in N/M means a patch is missing or doubled: say so, the apply will tell. */
        private void checkNumbering() {
            TreeSet<Integer> totals = new TreeSet<>();
            List<Integer> numbers = new ArrayList<>();
            for (Patch p : patches) {
                if (p.number() != null) {
                    numbers.add(p.number());
                    totals.add(p.total());
                }
            }
            if (numbers.size() < 2) {
                return; // one patch picked out of a series is not a gap
            }
            if (totals.size() > 1) {
                notes.add("patches disagree on the series length: " + totals);
            }
            TreeSet<Integer> seen = new TreeSet<>();
            for (int n : numbers) {
                if (!seen.add(n)) {
                    notes.add("patch number " + n + " appears more than once");
                }
            }
            int total = totals.last();
            List<Integer> missing = new ArrayList<>();
            for (int n = 1; n <= total; n++) {
                if (!seen.contains(n)) {
                    missing.add(n);
                }
            }
            if (!missing.isEmpty() && missing.size() < total) {
                notes.add("missing patch number(s) " + missing + " of " + total);
            }
        }
    }
}
