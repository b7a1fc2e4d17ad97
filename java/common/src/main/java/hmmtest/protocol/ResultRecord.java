package hmmtest.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One line on the guest-to-host result channel (a virtio-serial port).
 *
 * <p>Lines are tab-separated: the kind, then its fields. Text is escaped so that a record is
 * always exactly one line; a line cut short by a crash fails to decode and is ignored.
 *
 * <pre>
 * phase  NAME  GUEST_UPTIME_SECONDS     boot phases: init, module-loaded, jvm-started, first-ioctl
 * info   KEY   VALUE                    facts about the guest: kernel release, ABI version
 * plan   INDEX TEST_ID                  every selected test, in execution order, before any runs
 * upstream LINE                         one line of the upstream hmm-tests binary's KTAP output
 * note   TEST_ID  KEY  VALUE            something a test observed (JUnit TestReporter entries)
 * fuzz   WHAT  FIELDS...                the differential run: seq, act (write-ahead), div, file, prog, stat
 * start  TEST_ID                        written (and flushed) before a test runs
 * end    TEST_ID  STATUS  MILLIS  MESSAGE   STATUS is PASS, FAIL, SKIP or ERROR
 * gcda   PATH  BASE64                   a gcov counter file of a coverage kernel (its debugfs path), after the work
 * done   EXIT_CODE                      the guest harness finished normally
 * </pre>
 */
public record ResultRecord(Kind kind, List<String> fields) {

    public enum Kind {
        PHASE, INFO, PLAN, START, END, DONE, UPSTREAM, NOTE, FUZZ, GCDA;

        String tag() {
            return name().toLowerCase();
        }
    }

    public ResultRecord {
        Objects.requireNonNull(kind);
        fields = List.copyOf(fields);
    }

    public static ResultRecord of(Kind kind, String... fields) {
        return new ResultRecord(kind, List.of(fields));
    }

    public String field(int i) {
        return i < fields.size() ? fields.get(i) : "";
    }

    /** The line without its trailing newline. */
    public String encode() {
        StringBuilder sb = new StringBuilder(kind.tag());
        for (String f : fields) {
            sb.append('\t');
            escape(f, sb);
        }
        return sb.toString();
    }

    /** Decodes one line; returns null for anything that is not a well-formed record. */
    public static ResultRecord decode(String line) {
        if (line == null || line.isEmpty()) {
            return null;
        }
        String[] parts = line.split("\t", -1);
        Kind kind;
        try {
            kind = Kind.valueOf(parts[0].toUpperCase());
        } catch (IllegalArgumentException e) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String f = unescape(parts[i]);
            if (f == null) {
                return null;
            }
            fields.add(f);
        }
        int need = switch (kind) {
            case PHASE, INFO, PLAN, GCDA -> 2;
            case START, DONE, UPSTREAM, FUZZ -> 1;
            case END -> 4;
            case NOTE -> 3;
        };
        return fields.size() >= need ? new ResultRecord(kind, fields) : null;
    }

    private static void escape(String s, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i == s.length()) {
                return null;
            }
            switch (s.charAt(i)) {
                case '\\' -> out.append('\\');
                case 't' -> out.append('\t');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                default -> {
                    return null;
                }
            }
        }
        return out.toString();
    }
}
