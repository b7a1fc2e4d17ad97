package hmmtest.series;

import java.nio.charset.Charset;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One patch of a series.
 *
 * @param index    1-based position in the series, the order in which it is applied
 * @param subject  subject without the bracketed tag, e.g. {@code mm/rmap: convert ...}
 * @param tag      the raw tag as written, e.g. {@code [PATCH v2 3/12]} or {@code [v1,03/12]}; empty if none
 * @param version  series version from the tag ({@code v2}), null if none
 * @param number   N of N/M from the tag, null if none
 * @param total    M of N/M from the tag, null if none
 * @param author   the author (an in-body {@code From:} line wins over the mail header, as with git am);
 *                 null for a bare diff
 * @param date     ISO-8601 date ({@code 2025-01-29T11:54:01+01:00}), the raw text if unparseable, null if absent
 * @param message  the commit message (body up to the {@code ---} line)
 * @param diff     the diff exactly as handed to git apply
 * @param files    paths touched, from the {@code diff --git} sections, in order
 * @param sha256   hex sha256 of the diff bytes
 * @param encoding charset that turns {@code diff} back into the original bytes (UTF-8, or ISO-8859-1
 *                 for inputs that are not valid UTF-8, so no byte is lost)
 * @param source   file and message number it was read from
 */
public record Patch(int index, String subject, String tag, Integer version, Integer number, Integer total,
        Author author, String date, String message, String diff, List<String> files, String sha256,
        String encoding, PatchSource source) {

    public Patch {
        files = List.copyOf(files);
    }

    static Patch of(SubjectLine subject, Author author, String date, String message, Diff diff,
            Charset encoding, PatchSource source) {
        return new Patch(0, subject.subject(), subject.tag(), subject.version(), subject.number(), subject.total(),
                author, date, message, diff.text(), diff.paths(), sha256(diff.text().getBytes(encoding)),
                encoding.name(), source);
    }

    Patch withIndex(int newIndex) {
        return new Patch(newIndex, subject, tag, version, number, total, author, date, message, diff, files, sha256,
                encoding, source);
    }

    /** The diff as the bytes that were in the input. */
    public byte[] diffBytes() {
        return diff.getBytes(Charset.forName(encoding));
    }

    /** Tag and subject as a mail would show them: {@code [PATCH v2 3/12] mm: foo}. */
    public String title() {
        return tag.isEmpty() ? subject : tag + " " + subject;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
