package hmmtest.series;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A patch subject split into its bracketed tag and the clean subject, e.g.
 * {@code [PATCH v2 3/12] mm: foo} gives tag {@code [PATCH v2 3/12]}, subject {@code mm: foo},
 * version 2, number 3, total 12. Patchwork titles ({@code [v1,03/12] mm: foo}) work the same way.
 * Numbers are null when the tag does not carry them.
 */
public record SubjectLine(String tag, String subject, boolean reply, Integer version, Integer number,
        Integer total) {

    private static final Pattern REPLY = Pattern.compile("^(?i:(re|aw|fwd?)):\\s*");
    private static final Pattern BRACKET = Pattern.compile("^\\[[^\\]]*\\]\\s*");
    private static final Pattern N_OF_M = Pattern.compile("(\\d+)/(\\d+)");
    private static final Pattern VERSION = Pattern.compile("\\b[vV](\\d+)\\b");

    public static SubjectLine parse(String raw) {
        String rest = raw.strip();
        boolean reply = false;
        Matcher re = REPLY.matcher(rest);
        if (re.find()) {
            reply = true;
            rest = rest.substring(re.end());
        }
        // Take every leading [...] group: "[RFC] [PATCH 1/2]" is one tag.
        StringBuilder tag = new StringBuilder();
        for (Matcher m = BRACKET.matcher(rest); m.find(); m = BRACKET.matcher(rest)) {
            tag.append(tag.length() == 0 ? "" : " ").append(m.group().strip());
            rest = rest.substring(m.end());
        }
        String t = tag.toString();
        Integer number = null;
        Integer total = null;
        Matcher n = N_OF_M.matcher(t);
        if (n.find()) {
            number = Integer.valueOf(n.group(1));
            total = Integer.valueOf(n.group(2));
        }
        Matcher v = VERSION.matcher(t);
        Integer version = v.find() ? Integer.valueOf(v.group(1)) : null;
        return new SubjectLine(t, rest.strip(), reply, version, number, total);
    }

    /** A {@code [PATCH 0/N]} message introduces a series and carries no change. */
    public boolean isCoverLetter() {
        return number != null && number == 0;
    }
}
