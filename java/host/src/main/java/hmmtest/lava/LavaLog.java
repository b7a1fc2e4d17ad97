package hmmtest.lava;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A LAVA job log: one YAML flow mapping per line, {@code {"dt": ..., "lvl": ..., "msg": ...}}, as
 * the dispatcher writes it (lava_common.log: PyYAML, every scalar double-quoted, no line folding);
 * a log downloaded from a LAVA server has "- " before each. Only that subset of YAML is read here:
 * flow mappings and sequences, double-quoted scalars (an optional "!!tag" before them), plain words.
 */
public final class LavaLog {
    /** One log entry: time (ISO, UTC), level (target, info, results, ...) and message (a String or a Map). */
    public record Entry(String dt, String lvl, Object msg) {
        public String text() {
            return msg instanceof String s ? s : String.valueOf(msg);
        }

        @SuppressWarnings("unchecked")
        public Map<String, Object> map() {
            return msg instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        }
    }

    private LavaLog() {}

    /** The entries of a log's lines; a line that is not an entry (a stray print) is skipped. */
    public static List<Entry> parse(List<String> lines) {
        List<Entry> out = new ArrayList<>();
        for (String line : lines) {
            String l = line.strip();
            if (l.startsWith("- ")) {
                l = l.substring(2).strip();
            }
            if (!l.startsWith("{")) {
                continue;
            }
            Object v;
            try {
                v = new Parser(l).value();
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (v instanceof Map<?, ?> m && m.get("lvl") instanceof String lvl) {
                out.add(new Entry(String.valueOf(m.get("dt")), lvl, m.get("msg")));
            }
        }
        return out;
    }

    /** Recursive descent over one line. */
    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        Object value() {
            skipSpaces();
            if (i >= s.length()) {
                throw new IllegalArgumentException("value expected");
            }
            char c = s.charAt(i);
            if (c == '!') { // a tag such as !!int or !!null: the scalar after it is what counts here
                while (i < s.length() && s.charAt(i) != ' ') {
                    i++;
                }
                return value();
            }
            if (c == '{') {
                return mapping();
            }
            if (c == '[') {
                return sequence();
            }
            if (c == '"') {
                return quoted();
            }
            int start = i;
            while (i < s.length() && ",}]:".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            String plain = s.substring(start, i).strip();
            return plain.equals("null") || plain.equals("~") ? null : plain;
        }

        private Map<String, Object> mapping() {
            Map<String, Object> m = new LinkedHashMap<>();
            i++; // {
            skipSpaces();
            if (peek() == '}') {
                i++;
                return m;
            }
            while (true) {
                String key = String.valueOf(value());
                skipSpaces();
                expect(':');
                m.put(key, value());
                skipSpaces();
                char c = next();
                if (c == '}') {
                    return m;
                }
                if (c != ',') {
                    throw new IllegalArgumentException("',' or '}' expected at " + (i - 1));
                }
            }
        }

        private List<Object> sequence() {
            List<Object> l = new ArrayList<>();
            i++; // [
            skipSpaces();
            if (peek() == ']') {
                i++;
                return l;
            }
            while (true) {
                l.add(value());
                skipSpaces();
                char c = next();
                if (c == ']') {
                    return l;
                }
                if (c != ',') {
                    throw new IllegalArgumentException("',' or ']' expected at " + (i - 1));
                }
            }
        }

        /** A YAML double-quoted scalar with PyYAML's escapes. */
        private String quoted() {
            StringBuilder b = new StringBuilder();
            i++; // "
            while (true) {
                char c = next();
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '0' -> b.append('\0');
                    case 'a' -> b.append('\u0007');
                    case 'b' -> b.append('\b');
                    case 't', '\t' -> b.append('\t');
                    case 'n' -> b.append('\n');
                    case 'v' -> b.append('\u000b');
                    case 'f' -> b.append('\f');
                    case 'r' -> b.append('\r');
                    case 'e' -> b.append('\u001b');
                    case ' ' -> b.append(' ');
                    case '"' -> b.append('"');
                    case '/' -> b.append('/');
                    case '\\' -> b.append('\\');
                    case 'N' -> b.append('\u0085');
                    case '_' -> b.append('\u00a0');
                    case 'L' -> b.append('\u2028');
                    case 'P' -> b.append('\u2029');
                    case 'x' -> b.appendCodePoint(hex(2));
                    case 'u' -> b.appendCodePoint(hex(4));
                    case 'U' -> b.appendCodePoint(hex(8));
                    default -> throw new IllegalArgumentException("unknown escape \\" + e);
                }
            }
        }

        private int hex(int n) {
            if (i + n > s.length()) {
                throw new IllegalArgumentException("short escape");
            }
            int v = Integer.parseInt(s.substring(i, i + n), 16);
            i += n;
            return v;
        }

        private void skipSpaces() {
            while (i < s.length() && s.charAt(i) == ' ') {
                i++;
            }
        }

        private char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        private char next() {
            if (i >= s.length()) {
                throw new IllegalArgumentException("unexpected end of line");
            }
            return s.charAt(i++);
        }

        private void expect(char c) {
            if (next() != c) {
                throw new IllegalArgumentException("'" + c + "' expected at " + (i - 1));
            }
        }
    }
}
