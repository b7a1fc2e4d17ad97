package hmmtest.results;

import hmmtest.protocol.ResultRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Everything the guest reported in one VM run, assembled from result records as they arrive:
 * boot phases (guest uptime and host time since QEMU started), facts, per-test outcomes and the
 * test in flight (started, not ended) that a crash is pinned on.
 */
public final class RunResults {
    /** A boot phase: guest uptime when the guest recorded it, host seconds since QEMU start on arrival. */
    public record Phase(String name, double guestSeconds, double hostSeconds) {}

    private final Map<String, Phase> phases = new LinkedHashMap<>();
    private final Map<String, String> info = new LinkedHashMap<>();
    private final Map<String, TestOutcome> tests = new LinkedHashMap<>();
    private String inFlight;
    private Integer guestExit;

    /** Applies one record; {@code onEnd} sees each finished test (for live output). */
    public void apply(ResultRecord r, Duration sinceQemuStart, Consumer<TestOutcome> onEnd) {
        switch (r.kind()) {
            case PHASE -> phases.put(r.field(0), new Phase(r.field(0), parseDouble(r.field(1)), sinceQemuStart.toMillis() / 1000.0));
            case INFO -> info.put(r.field(0), r.field(1));
            case START -> inFlight = r.field(0);
            case END -> {
                TestOutcome o = new TestOutcome(r.field(0), parseStatus(r.field(1)), parseLong(r.field(2)), r.field(3));
                tests.put(o.id(), o);
                if (o.id().equals(inFlight)) {
                    inFlight = null;
                }
                onEnd.accept(o);
            }
            case DONE -> guestExit = (int) parseLong(r.field(0));
        }
    }

    /** Records a verdict the host reached itself (a crash, a test that never ran). */
    public void put(TestOutcome o) {
        tests.put(o.id(), o);
        if (o.id().equals(inFlight)) {
            inFlight = null;
        }
    }

    public Map<String, Phase> phases() {
        return phases;
    }

    public Map<String, String> info() {
        return info;
    }

    public List<TestOutcome> tests() {
        return new ArrayList<>(tests.values());
    }

    public String inFlight() {
        return inFlight;
    }

    /** The guest harness's exit code, or null if it never said "done" (crash, hang, kill). */
    public Integer guestExit() {
        return guestExit;
    }

    public long count(TestStatus s) {
        return tests.values().stream().filter(t -> t.status() == s).count();
    }

    private static TestStatus parseStatus(String s) {
        try {
            return TestStatus.valueOf(s);
        } catch (IllegalArgumentException e) {
            return TestStatus.ERROR;
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static double parseDouble(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
