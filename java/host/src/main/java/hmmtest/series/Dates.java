package hmmtest.series;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Normalises the dates found in mails and patchwork pages to ISO-8601 strings. Strings rather than
 * java.time types keep the records serialisable by a plain Jackson ObjectMapper.
 */
final class Dates {

    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
            "sep", "oct", "nov", "dec");
    /** Django's default "N j, Y, P" as patchwork shows it: "Jan. 29, 2025, 11:54 a.m. UTC". */
    private static final Pattern PATCHWORK = Pattern.compile(
            "^([A-Za-z]+)\\.? (\\d{1,2}), (\\d{4}),? (noon|midnight|(\\d{1,2})(?::(\\d{2}))?(?: ?([ap])\\.?m\\.?)?)(?: (UTC|GMT))?$");

    private Dates() {
    }

    /** A mail Date header ("Wed, 29 Jan 2025 12:54:01 +0100 (CET)"); the raw text if unparseable. */
    static String mail(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.replaceAll("\\s*\\([^)]*\\)\\s*$", "").strip();
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            return raw.strip();
        }
    }

    /** A patchwork date, taken as UTC; null if it does not look like one. */
    static String patchwork(String raw) {
        Matcher m = PATCHWORK.matcher(raw.strip());
        if (!m.matches()) {
            return null;
        }
        int month = MONTHS.indexOf(m.group(1).substring(0, Math.min(3, m.group(1).length())).toLowerCase(Locale.ROOT));
        if (month < 0) {
            return null;
        }
        LocalTime time;
        if (m.group(4).equals("noon")) {
            time = LocalTime.NOON;
        } else if (m.group(4).equals("midnight")) {
            time = LocalTime.MIDNIGHT;
        } else {
            int hour = Integer.parseInt(m.group(5)) % (m.group(7) == null ? 24 : 12);
            if ("p".equals(m.group(7))) {
                hour += 12;
            }
            time = LocalTime.of(hour, m.group(6) == null ? 0 : Integer.parseInt(m.group(6)));
        }
        LocalDate date = LocalDate.of(Integer.parseInt(m.group(3)), month + 1, Integer.parseInt(m.group(2)));
        return OffsetDateTime.of(date, time, ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
}
