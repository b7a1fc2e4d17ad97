package hmmtest.infra;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * One line per phase with its elapsed time, instead of thousands of make lines.
 *
 * <pre>
 * [kernel] download linux-source-7.3 7.3.4-1~bpo13+1 ... done 1.5s
 * </pre>
 */
public final class Progress {
    private static volatile boolean quiet;
    private static final PrintStream OUT = System.out;

    private Progress() {}

    public static void setQuiet(boolean q) {
        quiet = q;
    }

    public static void info(String area, String message) {
        if (!quiet) {
            OUT.printf("[%s] %s%n", area, message);
            OUT.flush();
        }
    }

    /** Always printed: results and errors are not progress. */
    public static void always(String message) {
        OUT.println(message);
        OUT.flush();
    }

    public static Phase start(String area, String what) {
        return new Phase(area, what);
    }

    public static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    /** A timed phase; close() prints its end line. Call fail() first if it did not succeed. */
    public static final class Phase implements AutoCloseable {
        private final String area;
        private final String what;
        private final long startNanos = System.nanoTime();
        private String outcome = "done";

        private Phase(String area, String what) {
            this.area = area;
            this.what = what;
            info(area, what + " ...");
        }

        public Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - startNanos);
        }

        public void note(String detail) {
            outcome = "done (" + detail + ")";
        }

        public void fail() {
            outcome = "FAILED";
        }

        @Override
        public void close() {
            info(area, what + " " + outcome + " " + seconds(elapsed()));
        }
    }
}
