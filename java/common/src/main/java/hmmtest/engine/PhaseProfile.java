package hmmtest.engine;

import hmmtest.model.Action;
import hmmtest.uapi.Command;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a main run's wall time goes, phase by phase (issue 15's throughput work: measure before
 * changing). Timed with {@link System#nanoTime} directly, never with the run's injected clock, so
 * it cannot change when a time budget ends a run; under TCG a nanoTime is a vDSO TSC read, well
 * under a microsecond against milliseconds per action.
 */
final class PhaseProfile {
    enum Phase {
        /** The generator choosing the next action (it asks the model for validity and hazards). */
        GENERATE,
        /** The model's prediction. */
        PREDICT,
        /** The action's text and its write-ahead record on the result channel. */
        WRITE_AHEAD,
        /** The executor: system calls and ioctls through JNA, buffers filled and decoded. */
        PERFORM,
        /** Checking the observation against the prediction and advancing the model by it. */
        JUDGE_APPLY,
        /** Tearing a sequence down (arena unmapped, fds closed) and starting a fresh model. */
        NEW_SEQUENCE,
        /** Reporting and shrinking divergences in the guest. */
        DIVERGENCE,
        /** Coverage steering: the kernel's counters read after the action, the weights updated. */
        STEER
    }

    private final long[] nanos = new long[Phase.values().length];
    private long last = System.nanoTime();
    private final long start = last;

    /** Restarts the lap without charging anything (the time since goes to "other"). */
    void mark() {
        last = System.nanoTime();
    }

    /**
     * PERFORM time by action kind, ioctls by command number and size (1, 2-16, more pages): which
     * system calls cost what. Keyed without building a label per action (labels come in describe).
     */
    private final Map<Object, long[]> performByKind = new HashMap<>();

    /** Charges the time since the last lap or mark to PERFORM, and to the action's kind. */
    void performed(Action a) {
        long before = last;
        lap(Phase.PERFORM);
        Object kind = a instanceof Action.Ioctl i
                ? Long.valueOf(((long) i.cmd() << 2) | (i.effectivePages() <= 1 ? 0 : i.effectivePages() <= 16 ? 1 : 2))
                : a.getClass();
        long[] v = performByKind.computeIfAbsent(kind, k -> new long[2]);
        v[0]++;
        v[1] += last - before;
    }

    private static String label(Object kind) {
        if (kind instanceof Class<?> c) {
            return c.getSimpleName();
        }
        long k = (Long) kind;
        int cmd = (int) (k >> 2);
        return "ioctl " + Command.of(cmd).map(Enum::name).orElse("0x" + Integer.toHexString(cmd))
                + new String[] {" 1p", " 2-16p", " >16p"}[(int) (k & 3)];
    }

    /** Charges the time since the last lap or mark to a phase. */
    void lap(Phase p) {
        long now = System.nanoTime();
        nanos[p.ordinal()] += now - last;
        last = now;
    }

    /** E.g. "per action us: generate 812 (41%), ... other 12 (1%)". */
    String describe(long actions) {
        long total = System.nanoTime() - start;
        long other = total;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%d actions in %.1f s; per action us:",
                actions, total / 1e9));
        long n = Math.max(1, actions);
        for (Phase p : Phase.values()) {
            long v = nanos[p.ordinal()];
            other -= v;
            sb.append(String.format(Locale.ROOT, " %s %d (%.0f%%),", p.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    v / 1000 / n, 100.0 * v / Math.max(1, total)));
        }
        sb.append(String.format(Locale.ROOT, " other %d (%.0f%%)", other / 1000 / n, 100.0 * other / Math.max(1, total)));
        sb.append("; perform by kind (count, us each):");
        Map<String, long[]> byLabel = new TreeMap<>();
        performByKind.forEach((k, v) -> byLabel.put(label(k), v));
        byLabel.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %d %d,", k, v[0], v[1] / 1000 / v[0])));
        return sb.toString();
    }
}
