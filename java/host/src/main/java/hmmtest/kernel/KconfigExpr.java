package hmmtest.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates a Kconfig dependency expression against a .config in tristate logic (n=0, m=1,
 * y=2; && is min, || is max, ! is 2-x; A=B and A!=B compare values), so an explanation blames
 * exactly the dependencies that are unmet.
 */
final class KconfigExpr {
    private static final Pattern TOKEN = Pattern.compile("\\s*(&&|\\|\\||!=|=|!|\\(|\\)|<=|>=|<|>|\"[^\"]*\"|[A-Za-z0-9_$.-]+)");

    private final List<String> tokens = new ArrayList<>();
    private final Map<String, String> config;
    private int pos;

    private KconfigExpr(String expr, Map<String, String> config) {
        Matcher m = TOKEN.matcher(expr);
        int at = 0;
        while (at < expr.length() && m.find(at) && m.start() == at) {
            tokens.add(m.group(1));
            at = m.end();
        }
        this.config = config;
    }

    /** 0, 1 or 2; an expression it cannot parse counts as met (2), so it is never blamed wrongly. */
    static int eval(String expr, Map<String, String> config) {
        try {
            KconfigExpr e = new KconfigExpr(expr, config);
            int v = e.or();
            return e.pos == e.tokens.size() ? v : 2;
        } catch (RuntimeException ex) {
            return 2;
        }
    }

    private int or() {
        int v = and();
        while (peek("||")) {
            pos++;
            v = Math.max(v, and());
        }
        return v;
    }

    private int and() {
        int v = unary();
        while (peek("&&")) {
            pos++;
            v = Math.min(v, unary());
        }
        return v;
    }

    private int unary() {
        if (peek("!")) {
            pos++;
            return 2 - unary();
        }
        if (peek("(")) {
            pos++;
            int v = or();
            expect(")");
            return v;
        }
        String left = tokens.get(pos++);
        if (peek("=") || peek("!=")) {
            boolean eq = tokens.get(pos++).equals("=");
            String right = tokens.get(pos++);
            return value(left).equals(value(right)) == eq ? 2 : 0;
        }
        if (peek("<") || peek(">") || peek("<=") || peek(">=")) {
            pos += 2; // numeric comparisons: not worth modelling for explanations
            return 2;
        }
        return tristate(value(left));
    }

    private String value(String token) {
        if (token.startsWith("\"")) {
            return token.substring(1, token.length() - 1);
        }
        if (token.equals("y") || token.equals("m") || token.equals("n") || token.matches("-?[0-9].*")) {
            return token;
        }
        String v = config.getOrDefault("CONFIG_" + token, "n");
        return v.startsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    private static int tristate(String v) {
        return switch (v) {
            case "y" -> 2;
            case "m" -> 1;
            default -> 0;
        };
    }

    private boolean peek(String t) {
        return pos < tokens.size() && tokens.get(pos).equals(t);
    }

    private void expect(String t) {
        if (!peek(t)) {
            throw new IllegalStateException("expected " + t);
        }
        pos++;
    }
}
