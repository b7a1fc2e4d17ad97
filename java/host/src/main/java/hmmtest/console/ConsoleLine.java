package hmmtest.console;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One console line with its printk decorations removed.
 *
 * <p>The kernel prefixes each record with {@code [    1.234567] } and, with CONFIG_PRINTK_CALLER,
 * a caller id ({@code [  T123]} for a task, {@code [    C0]} for a CPU in interrupt context).
 * Either may be missing. Exactly one separating space is removed so that call-trace frames keep
 * their leading indentation.
 *
 * @param index 0-based position of the line in the console stream
 * @param text the line without CR characters, timestamp and caller id
 * @param callerId the printk caller ({@code T123} or {@code C0}), or null when not printed
 */
public record ConsoleLine(int index, String text, String callerId) {

    // Optional syslog level "<4>", then a timestamp with an optional caller id, or a caller id alone.
    private static final Pattern PREFIX = Pattern.compile(
            "^(?:<\\d+>)?(?:\\[\\s*\\d+\\.\\d+\\](?:\\[\\s*([TC]\\d+)\\])?|\\[\\s*([TC]\\d+)\\])");

    public static ConsoleLine parse(int index, String raw) {
        String line = raw.indexOf('\r') >= 0 ? raw.replace("\r", "") : raw;
        Matcher m = PREFIX.matcher(line);
        if (!m.lookingAt()) {
            return new ConsoleLine(index, line, null);
        }
        String rest = line.substring(m.end());
        if (rest.startsWith(" ")) {
            rest = rest.substring(1);
        }
        String caller = m.group(1) != null ? m.group(1) : m.group(2);
        return new ConsoleLine(index, rest, caller);
    }

    /** The printk caller id, when the kernel was built with CONFIG_PRINTK_CALLER. */
    public Optional<String> caller() {
        return Optional.ofNullable(callerId);
    }
}
