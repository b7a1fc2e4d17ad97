package hmmtest.console;

import java.util.ArrayList;
import java.util.List;

/** The lines and state of the report a {@link ConsoleMonitor} is currently collecting. */
final class OpenReport {

    final OopsTable.Match match;
    final int startLine;
    final String callerId;
    final List<ConsoleLine> lines = new ArrayList<>();
    /** The body's end line was seen; only trailer lines may follow. */
    boolean closed;
    int trailerLines;
    /** An inner {@code Oops:} line showed the kernel killed the task. */
    boolean oopsed;
    /** A {@code Kernel panic - not syncing} line was seen: everything up to its end marker belongs here. */
    boolean panicked;
    /** "Sending NMI from CPU": other CPUs' backtraces (caller ids C0, C1...) now belong to this report. */
    boolean cpuBacktraces;

    OpenReport(OopsTable.Match match, ConsoleLine header, int startLine) {
        this.match = match;
        this.startLine = startLine;
        this.callerId = header.callerId();
    }

    OopsFormat format() {
        return match.format();
    }

    /**
     * Whether a line belongs to this report's printk caller. Without caller ids every line does; with
     * them, a line without one is user-space output sharing the console, and another task's line is
     * interleaved output.
     */
    boolean sameCaller(ConsoleLine line) {
        if (callerId == null || callerId.equals(line.callerId())) {
            return true;
        }
        return line.callerId() != null && cpuBacktraces && line.callerId().startsWith("C");
    }
}
