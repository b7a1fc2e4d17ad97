package hmmtest.console;

/** Receives crash events from a {@link ConsoleMonitor}, on the thread that feeds it lines. */
public interface CrashListener {

    /** A crash header was seen. Every start is followed by exactly one {@link #crashCompleted}. */
    default void crashStarted(CrashStart start) {}

    /** The report is complete (see {@link ConsoleMonitor} for when). */
    void crashCompleted(CrashReport report);
}
