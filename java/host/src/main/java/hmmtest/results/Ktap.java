package hmmtest.results;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads KTAP/TAP test lines ({@code ok 3 name # SKIP reason}, {@code not ok 4 name}) as the
 * kselftest harness prints them; everything else (diagnostics, kernel noise) is ignored, as
 * KTAP allows. Nested results (indented) are read with their indentation depth.
 */
public final class Ktap {
    private static final Pattern RESULT = Pattern.compile(
            "^(\\s*)(not ok|ok) (\\d+)(?: -)? ?([^#]*?)\\s*(?:#\\s*(SKIP|TODO|XFAIL|XPASS|TIMEOUT|ERROR)\\b\\s*(.*))?$");

    /** One result line. {@code directive} is "" when there is none. */
    public record Result(int depth, boolean ok, int number, String name, String directive, String reason) {
        /** PASS, FAIL or SKIP as our suite's statuses spell them. */
        public TestStatus status() {
            if (directive.equals("SKIP")) {
                return TestStatus.SKIP;
            }
            if (directive.equals("XFAIL")) {
                return TestStatus.PASS;
            }
            return ok && !directive.equals("TIMEOUT") && !directive.equals("ERROR") ? TestStatus.PASS : TestStatus.FAIL;
        }
    }

    private Ktap() {}

    public static List<Result> parse(List<String> lines) {
        List<Result> out = new ArrayList<>();
        for (String line : lines) {
            Matcher m = RESULT.matcher(line);
            if (m.matches()) {
                out.add(new Result(m.group(1).length() / 2, m.group(2).equals("ok"), Integer.parseInt(m.group(3)),
                        m.group(4).trim(), m.group(5) == null ? "" : m.group(5),
                        m.group(6) == null ? "" : m.group(6).trim()));
            }
        }
        return out;
    }
}
