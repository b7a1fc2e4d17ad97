package hmmtest.console;

import java.util.List;

/** One-shot parsing of a whole console log: the same rules as {@link ConsoleMonitor}, run to the end. */
public final class ConsoleParser {

    private ConsoleParser() {}

    /** All crash reports in the log, in order; empty when the kernel did not crash. */
    public static List<CrashReport> parse(List<String> lines) {
        ConsoleMonitor monitor = new ConsoleMonitor(report -> {});
        lines.forEach(monitor::onLine);
        monitor.flush();
        return monitor.reports();
    }

    /** Same as {@link #parse(List)} for a log held in one string. */
    public static List<CrashReport> parse(String log) {
        return parse(log.lines().toList());
    }
}
