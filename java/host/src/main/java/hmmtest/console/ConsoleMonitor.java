package hmmtest.console;

import hmmtest.console.CrashReport.Completion;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Watches kernel console output line by line and reports crashes as they start and complete.
 *
 * <p>A report <b>starts</b> at a header line from {@link OopsTable} (a {@code cut here} or
 * {@code ====} line right before it is included). {@link CrashListener#crashStarted} fires at once,
 * so the host knows a crash is under way before the stack is printed.
 *
 * <p>A report <b>completes</b> ({@link CrashListener#crashCompleted}) when the first of these happens:
 * <ol>
 *   <li>its body is closed by its end line ({@code ---[ end trace ...]---}, the stack's
 *       {@code </TASK>}, KASAN's {@code ====}) and then a line arrives that is not trailer
 *       (register re-dump, {@code note:}, {@code Kernel Offset:}, blank), or
 *       {@value #DEFAULT_MAX_TRAILER_LINES} trailer lines have passed;</li>
 *   <li>{@code ---[ end Kernel panic ... ]---} arrives: after {@code Kernel panic - not syncing}
 *       every line up to this marker belongs to the report, since a panicking kernel prints nothing
 *       else;</li>
 *   <li>a header arrives that starts a new report ({@link Completion#NEXT_REPORT});</li>
 *   <li>the report reaches its line cap ({@link Completion#LINE_LIMIT});</li>
 *   <li>{@link #flush()} is called ({@link Completion#FLUSHED} unless the body was already closed).
 *       The monitor never reads a clock: the host calls {@code flush()} when the console has been
 *       quiet for as long as it cares to wait, and at end of output.</li>
 * </ol>
 * A kernel with {@code panic_on_oops} prints the oops, then {@code Kernel panic - not syncing:
 * Fatal exception}: that panic is a trailer line, so the whole is one report, titled by the oops
 * and marked {@link CrashReport#panicked()}.
 *
 * <p>Not thread-safe: feed it from one thread.
 */
public final class ConsoleMonitor {

    public static final int DEFAULT_MAX_REPORT_LINES = 200;
    public static final int DEFAULT_MAX_TRAILER_LINES = 40;

    private static final Pattern OPENER = Pattern.compile("^-+\\[ cut here \\]-+$|^={20,}$");
    private static final Pattern END_TRACE = Pattern.compile("^---\\[ end trace");
    private static final Pattern END_PANIC = Pattern.compile("^---\\[ end Kernel panic");
    private static final Pattern SEPARATOR = Pattern.compile("^={20,}$");
    private static final Pattern NMI_BACKTRACES = Pattern.compile("^Sending NMI from CPU|^NMI backtrace for cpu");
    // What the kernel may print after a report's end line and still be about that report.
    private static final Pattern TRAILER = Pattern.compile(
            "^(?:RIP|Code|RSP|RAX|RDX|RBP|R10|R13|FS|CS|CR2|DR0|DR3|DR6|PKRU):|^note: |^Kernel Offset:"
                    + "|^Rebooting in|^Disabling lock debugging|^Fixing recursive fault|^Modules linked in:"
                    + "|^irq event stamp:|^(?:hard|soft)irqs (?:last|enabled|disabled)|^\\s*$");

    private final CrashListener listener;
    private final int maxReportLines;
    private final int maxTrailerLines;
    private final List<CrashReport> reports = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private int nextIndex;
    private ConsoleLine previous;
    private OpenReport open;

    public ConsoleMonitor(CrashListener listener) {
        this(listener, DEFAULT_MAX_REPORT_LINES, DEFAULT_MAX_TRAILER_LINES);
    }

    public ConsoleMonitor(CrashListener listener, int maxReportLines, int maxTrailerLines) {
        if (maxReportLines < 2 || maxTrailerLines < 1) {
            throw new IllegalArgumentException("line caps too small");
        }
        this.listener = listener;
        this.maxReportLines = maxReportLines;
        this.maxTrailerLines = maxTrailerLines;
    }

    /** Feeds raw console bytes decoded as text, split anywhere; whole lines are processed. */
    public void accept(CharSequence chunk) {
        for (int i = 0; i < chunk.length(); i++) {
            char c = chunk.charAt(i);
            if (c == '\n') {
                onLine(partial.toString());
                partial.setLength(0);
            } else {
                partial.append(c);
            }
        }
    }

    /** Feeds one complete console line (without its newline). */
    public void onLine(String raw) {
        ConsoleLine line = ConsoleLine.parse(nextIndex++, raw);
        OopsTable.Match match = OopsTable.match(line.text());
        if (open != null && continueReport(line, match)) {
            previous = null;
            return;
        }
        if (match != null) {
            start(line, match);
            previous = null;
            return;
        }
        previous = line;
    }

    /**
     * Completes the open report, if any: call when the console has been quiet long enough or has
     * ended. A partial line left by {@link #accept} is processed first.
     */
    public void flush() {
        if (partial.length() > 0) {
            onLine(partial.toString());
            partial.setLength(0);
        }
        if (open != null) {
            complete(open.closed ? Completion.END_MARKER : Completion.FLUSHED);
        }
    }

    /** Whether a crash has started and not yet completed. */
    public boolean inCrash() {
        return open != null;
    }

    /** Number of lines fed so far; the next line gets this index. */
    public int linesSeen() {
        return nextIndex;
    }

    /** All reports completed so far, in order. */
    public List<CrashReport> reports() {
        return List.copyOf(reports);
    }

    /** Returns true when the line was taken by (or deliberately left out of) the open report. */
    private boolean continueReport(ConsoleLine line, OopsTable.Match match) {
        OpenReport r = open;
        boolean same = r.sameCaller(line);
        if (r.panicked) {
            if (same) {
                r.lines.add(line);
                if (END_PANIC.matcher(line.text()).find()) {
                    complete(Completion.END_MARKER);
                } else if (r.lines.size() >= maxReportLines) {
                    complete(Completion.LINE_LIMIT);
                }
            }
            return true;
        }
        if (match != null && !match.format().inner()) {
            complete(r.closed ? Completion.END_MARKER : Completion.NEXT_REPORT);
            return false;
        }
        if (!same) {
            return true;
        }
        if (r.closed && match == null && !TRAILER.matcher(line.text()).find()) {
            complete(Completion.END_MARKER);
            return false;
        }
        r.lines.add(line);
        if (r.closed) {
            r.trailerLines++;
        }
        if (match != null) {
            r.oopsed |= match.format().fatal();
            r.panicked |= match.format().kind() == CrashKind.PANIC;
        }
        if (NMI_BACKTRACES.matcher(line.text()).find()) {
            r.cpuBacktraces = true;
        }
        if (!r.closed && closes(r.format().end(), line.text())) {
            r.closed = true;
        }
        if (r.closed && !r.panicked && r.trailerLines >= maxTrailerLines) {
            complete(Completion.END_MARKER);
        } else if (r.lines.size() >= maxReportLines) {
            complete(r.closed ? Completion.END_MARKER : Completion.LINE_LIMIT);
        }
        return true;
    }

    private static boolean closes(EndRule rule, String text) {
        if (END_TRACE.matcher(text).find()) {
            return true;
        }
        return switch (rule) {
            case END_MARKER -> false;
            case STACK_END -> text.trim().equals("</TASK>");
            case SEPARATOR -> SEPARATOR.matcher(text).find();
            case HEADER_ONLY -> true;
        };
    }

    private void start(ConsoleLine header, OopsTable.Match match) {
        boolean withOpener = previous != null && OPENER.matcher(previous.text()).find()
                && Objects.equals(previous.callerId(), header.callerId());
        OpenReport r = new OpenReport(match, header, withOpener ? previous.index() : header.index());
        if (withOpener) {
            r.lines.add(previous);
        }
        r.lines.add(header);
        r.panicked = match.format().kind() == CrashKind.PANIC;
        r.closed = match.format().end() == EndRule.HEADER_ONLY;
        open = r;
        listener.crashStarted(new CrashStart(match.format().kind(), provisionalTitle(match), r.startLine,
                header.text(), Optional.ofNullable(header.callerId())));
    }

    /** The title as far as the header tells it: a frame named in the header, no detail lines yet. */
    private static String provisionalTitle(OopsTable.Match match) {
        OopsFormat f = match.format();
        String frame = ReportAnalyzer.guiltyFrame(f.stack(), match.groups(), StackParser.parse(List.of()));
        return Titles.render(f.fallback() != null ? f.fallback() : f.template(), match.groups(), frame);
    }

    private void complete(Completion completion) {
        CrashReport report = ReportAnalyzer.analyze(open, completion);
        open = null;
        reports.add(report);
        listener.crashCompleted(report);
    }
}
