package hmmtest.console;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One way a kernel report can look, and how to title it.
 *
 * <p>Templates use {@code {1}}, {@code {2}}... for the capture groups of {@code title} followed by
 * those of {@code detail}, and {@code {frame}} for the guilty frame. A missing frame drops the
 * {@code " in {frame}"} part.
 *
 * @param kind the report kind
 * @param title regex found in the header line
 * @param template how to build the title
 * @param detail optional regex found in a later line of the report (e.g. KASAN's access size)
 * @param fallback template used when {@code detail} never matched; null to reuse {@code template}
 * @param alts alternative title templates (syzkaller's spelling, a file-level title)
 * @param stack where the guilty frame comes from
 * @param end which line closes the report body
 * @param fatal whether the kernel kills the current task (an oops) rather than carrying on
 * @param inner whether, inside an open report, this header continues it instead of starting a new
 *     one (the {@code Oops:} line after a {@code BUG:} line, the panic that follows an oops)
 * @param corrupted why a report starting with this header is known to be incomplete, or null
 */
record OopsFormat(
        CrashKind kind,
        Pattern title,
        String template,
        Pattern detail,
        String fallback,
        List<String> alts,
        StackRule stack,
        EndRule end,
        boolean fatal,
        boolean inner,
        String corrupted) {

    static OopsFormat format(CrashKind kind, String titleRegex, String template) {
        return new OopsFormat(kind, Pattern.compile(titleRegex), template, null, null, List.of(),
                StackRule.NONE, EndRule.END_MARKER, false, false, null);
    }

    OopsFormat detail(String regex, String fallbackTemplate) {
        return new OopsFormat(kind, title, template, Pattern.compile(regex), fallbackTemplate, alts,
                stack, end, fatal, inner, corrupted);
    }

    OopsFormat alt(String... templates) {
        return new OopsFormat(kind, title, template, detail, fallback, List.of(templates),
                stack, end, fatal, inner, corrupted);
    }

    OopsFormat stack(StackRule rule) {
        return new OopsFormat(kind, title, template, detail, fallback, alts, rule, end, fatal, inner, corrupted);
    }

    OopsFormat end(EndRule rule) {
        return new OopsFormat(kind, title, template, detail, fallback, alts, stack, rule, fatal, inner, corrupted);
    }

    OopsFormat asFatal() {
        return new OopsFormat(kind, title, template, detail, fallback, alts, stack, end, true, inner, corrupted);
    }

    OopsFormat asInner() {
        return new OopsFormat(kind, title, template, detail, fallback, alts, stack, end, fatal, true, corrupted);
    }

    OopsFormat corrupted(String reason) {
        return new OopsFormat(kind, title, template, detail, fallback, alts, stack, end, fatal, inner, reason);
    }
}
