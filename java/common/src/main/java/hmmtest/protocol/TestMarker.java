package hmmtest.protocol;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test boundaries the guest writes into the kernel log ({@code /dev/kmsg}): they reach the
 * console in one total order with the kernel's own messages, so the host pins a crash on the test
 * whose start marker came last before the report. Written by the guest, parsed by the host, here
 * once for both.
 */
public record TestMarker(boolean start, String test) {
    private static final String PREFIX = "hmmtest: ";
    private static final Pattern LINE = Pattern.compile(Pattern.quote(PREFIX) + "(start|end) (\\S+)");

    /** The kernel log text that marks the start of a test. */
    public static String startText(String test) {
        return PREFIX + "start " + test;
    }

    /** The kernel log text that marks the end of a test, with its status. */
    public static String endText(String test, String status) {
        return PREFIX + "end " + test + " " + status;
    }

    /**
     * A regular expression for the end marker in a console line, for matchers outside Java (LAVA's
     * {@code monitors} test action, Python's {@code re}): {@code test} and {@code status} are the
     * expressions (named groups, say) for the two fields. The prefix has no regex metacharacters.
     */
    public static String endRegex(String test, String status) {
        return endText(test, status);
    }

    /** The marker in a console line (anywhere in it: the kernel prefixes a timestamp), if any. */
    public static Optional<TestMarker> find(String consoleLine) {
        Matcher m = LINE.matcher(consoleLine);
        return m.find() ? Optional.of(new TestMarker(m.group(1).equals("start"), m.group(2))) : Optional.empty();
    }
}
