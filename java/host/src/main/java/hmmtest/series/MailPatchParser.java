package hmmtest.series;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns one mail into a {@link Patch}, or says why it is not one (cover letter, reply, no diff). */
final class MailPatchParser {

    /** Either {@code patch} is set, or {@code skipReason} says why the mail was skipped. */
    record Parsed(Patch patch, String skipReason, SubjectLine subject) {
    }

    private static final Pattern IN_BODY_HEADER = Pattern.compile("^(From|Date|Subject): ?(.*)$");

    private MailPatchParser() {
    }

    static Parsed parse(MailMessage mail, PatchSource source) throws SeriesFormatException {
        String rawSubject = mail.header("subject") == null ? "" : mail.header("subject");
        String from = mail.header("from");
        String date = mail.header("date");
        List<String> body = Arrays.asList(mail.body().split("\n", -1));

        // git am honours "From:", "Date:" and "Subject:" lines at the top of the body (sender != author).
        int start = 0;
        while (start < body.size() && body.get(start).isBlank()) {
            start++;
        }
        int headerStart = start;
        for (Matcher m; start < body.size() && (m = IN_BODY_HEADER.matcher(body.get(start))).matches(); start++) {
            switch (m.group(1)) {
                case "From" -> from = MailMessage.decodeWords(m.group(2));
                case "Date" -> date = m.group(2);
                default -> rawSubject = MailMessage.decodeWords(m.group(2));
            }
        }
        if (start > headerStart && start < body.size() && body.get(start).isBlank()) {
            start++;
        }

        SubjectLine subject = SubjectLine.parse(rawSubject);
        String bodyText = String.join("\n", body.subList(start, body.size()));
        Diff diff;
        try {
            diff = DiffScanner.find(bodyText);
        } catch (SeriesFormatException e) {
            throw new SeriesFormatException(source + " (\"" + rawSubject + "\"): " + e.getMessage());
        }
        if (subject.reply()) {
            return skip("reply, not a patch", subject);
        }
        if (subject.isCoverLetter()) {
            return skip("cover letter", subject);
        }
        if (diff == null) {
            return skip("no diff in it", subject);
        }
        Author author = from == null ? null : Author.parse(from);
        Patch patch = Patch.of(subject, author, Dates.mail(date), commitMessage(body.subList(start, body.size())),
                diff, mail.bodyCharset(), source);
        return new Parsed(patch, null, subject);
    }

    private static Parsed skip(String reason, SubjectLine subject) {
        return new Parsed(null, reason, subject);
    }

    /** The body up to the "---" separator (or the diff when there is none), trailing blanks dropped. */
    private static String commitMessage(List<String> body) {
        int end = 0;
        while (end < body.size() && !body.get(end).equals("---") && !body.get(end).startsWith("diff --git ")) {
            end++;
        }
        return String.join("\n", body.subList(0, end)).stripTrailing();
    }
}
