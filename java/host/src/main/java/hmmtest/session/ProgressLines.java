package hmmtest.session;

import hmmtest.results.RunResults;
import hmmtest.results.TestOutcome;
import hmmtest.results.TestStatus;
import java.util.Locale;
import java.util.StringJoiner;

/** The progress lines a session prints: one per test as it ends, and a VM's boot phases. */
public final class ProgressLines {
    private ProgressLines() {}

    public static String testLine(TestOutcome o) {
        String line = String.format(Locale.ROOT, "  %-7s %-58s %6d ms", o.status(), o.id(), o.millis());
        if (o.status() != TestStatus.PASS && !o.message().isEmpty()) {
            line += "\n          " + o.message().replace("\n", "\n          ");
        }
        return line;
    }

    public static String phases(RunResults r) {
        StringJoiner j = new StringJoiner(", ");
        r.phases().values().forEach(p -> j.add(String.format(Locale.ROOT, "%s %.2fs (host %.1fs)", p.name(),
                p.guestSeconds(), p.hostSeconds())));
        return j.toString();
    }

}
