package hmmtest.fuzz;

import hmmtest.model.Action;
import hmmtest.model.Errno;
import hmmtest.model.Outcome;
import hmmtest.model.Prediction;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** How divergences are named and compared. */
public final class Verdicts {
    private Verdicts() {}

    /** "ioctl READ", "ioctl 0xc", "mmap", "read", "fork", ...: the action kind. */
    public static String kind(Action a) {
        if (a instanceof Action.Ioctl i) {
            return "ioctl " + i.command().map(Enum::name).orElse("0x" + Integer.toHexString(i.cmd()));
        }
        String t = a.toText();
        int sp = t.indexOf(' ');
        return sp < 0 ? t : t.substring(0, sp);
    }

    /**
     * The signature the in-guest shrinker preserves: the action kind and which fields differ from
     * the closest allowed outcome, with the observed errno when the errno differs, e.g.
     * {@code "ioctl READ: faults"} or {@code "mprotect: errno=EFAULT"}.
     *
     * <p>Why not "any divergence": while shrinking, a candidate often diverges somewhere else first
     * (typically a simpler, already-known disagreement), and accepting it would trade the bug being
     * shrunk for another. Why not the exact diff: values such as cpages, data tokens or snapshot
     * bytes legitimately change as actions are removed, while the bug stays the same one.
     */
    public static String signature(Action a, Prediction p, Outcome observed) {
        if (p.alternatives().isEmpty()) {
            return kind(a) + ": survived " + p.hazards().stream().map(h -> h.kind().name()).toList();
        }
        List<String> best = null;
        for (Prediction.Alternative alt : p.alternatives()) {
            List<String> d = fields(alt.outcome(), observed);
            if (best == null || d.size() < best.size()) {
                best = d;
            }
        }
        return kind(a) + ": " + String.join(",", best);
    }

    static List<String> fields(Outcome e, Outcome o) {
        TreeSet<String> d = new TreeSet<>();
        if (e.errno() != o.errno()) {
            d.add("errno=" + Errno.name(o.errno()));
        }
        if (e.cpages() != o.cpages()) {
            d.add("cpages");
        }
        if (e.faults() != o.faults()) {
            d.add("faults");
        }
        if (!e.data().equals(o.data())) {
            d.add("data");
        }
        if (!e.snapshot().equals(o.snapshot())) {
            d.add("snapshot");
        }
        return new ArrayList<>(d);
    }
}
