package hmmtest.series;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits an mbox into messages. A message starts at a "From " line followed by an asctime date, as
 * written by git format-patch ({@code From 1a2b... Mon Sep 17 00:00:00 2001}), b4
 * ({@code From git@z Thu Jan  1 00:00:00 1970}) and mail archives. Requiring the date keeps a
 * commit message line such as "From the spec: ..." from starting a new message.
 */
final class Mbox {

    private static final Pattern FROM_LINE = Pattern.compile(
            "^From \\S+ +(Mon|Tue|Wed|Thu|Fri|Sat|Sun) +(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\\d{1,2} +\\d{1,2}:\\d{2}(:\\d{2})? .*$");

    private Mbox() {
    }

    static boolean isSeparator(String line) {
        return FROM_LINE.matcher(line).matches();
    }

    /** True when the first non-blank line is an mbox separator. */
    static boolean startsAsMbox(List<String> lines) {
        for (String line : lines) {
            if (!line.isBlank()) {
                return isSeparator(line);
            }
        }
        return false;
    }

    /** The messages, each starting with its separator line; text before the first one is dropped. */
    static List<String> split(List<String> lines) {
        List<String> messages = new ArrayList<>();
        StringBuilder current = null;
        for (String line : lines) {
            if (isSeparator(line)) {
                if (current != null) {
                    messages.add(current.toString());
                }
                current = new StringBuilder();
            }
            if (current != null) {
                current.append(line).append('\n');
            }
        }
        if (current != null) {
            messages.add(current.toString());
        }
        return messages;
    }
}
