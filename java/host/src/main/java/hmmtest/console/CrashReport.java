package hmmtest.console;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One kernel crash found on the console.
 *
 * @param kind what kind of report this is
 * @param title syzkaller-style title, e.g. {@code BUG: kernel NULL pointer dereference in make_device_exclusive}
 * @param altTitles other spellings of the same bug (syzkaller's wording, a file-level title)
 * @param guiltyFrame the function blamed for the crash, when the report names one
 * @param startLine 0-based index of the report's first console line (a {@code cut here} or
 *     {@code ====} line just before the header counts as part of the report)
 * @param endLine 0-based index of its last console line, inclusive
 * @param excerpt the report's console lines without timestamps, at most
 *     {@link ConsoleMonitor#DEFAULT_MAX_REPORT_LINES} of them; lines printed meanwhile by another
 *     printk caller are left out
 * @param corrupted whether the report is known to be incomplete or garbled
 * @param corruptedReason why, when corrupted
 * @param fatal whether the kernel killed the task (an oops) or panicked, rather than only
 *     warning or tainting
 * @param panicked whether the report includes {@code Kernel panic - not syncing}: the machine is dead
 * @param taint taint flags from the {@code CPU:} line ("" for {@code Not tainted}, e.g. {@code GW})
 * @param callerId printk caller of the header line ({@code T123} for a task), with CONFIG_PRINTK_CALLER
 * @param pid PID of the task that was running, from the {@code CPU: ... PID:} or {@code task:} line
 * @param comm that task's command name
 * @param completion what closed the report
 */
public record CrashReport(
        CrashKind kind,
        String title,
        List<String> altTitles,
        Optional<String> guiltyFrame,
        int startLine,
        int endLine,
        List<String> excerpt,
        boolean corrupted,
        Optional<String> corruptedReason,
        boolean fatal,
        boolean panicked,
        Optional<String> taint,
        Optional<String> callerId,
        OptionalInt pid,
        Optional<String> comm,
        Completion completion) {

    /** What closed a report; see {@link ConsoleMonitor} for the rule. */
    public enum Completion {
        /** Its end line was seen ({@code ---[ end trace}, {@code ---[ end Kernel panic}, the stack's end). */
        END_MARKER,
        /** Another report started before the end line. */
        NEXT_REPORT,
        /** It reached the line cap before its end line. */
        LINE_LIMIT,
        /** {@link ConsoleMonitor#flush()} was called (quiet console or end of log) before its end line. */
        FLUSHED
    }

    public CrashReport {
        altTitles = List.copyOf(altTitles);
        excerpt = List.copyOf(excerpt);
    }
}
