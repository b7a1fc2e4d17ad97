package hmmtest.engine;

import hmmtest.model.Action;
import hmmtest.uapi.Errno;
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
     * {@code "ioctl READ: faults"}, {@code "mprotect: errno=EFAULT"} or
     * {@code "ioctl SNAPSHOT: snapshot(01>11)"}.
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

    /**
     * The distinct byte changes, e.g. {@code "(01>11,02>00)"}: a SNAPSHOT that reports the zero
     * page where the model expected a plain page is a different bug from one that reports a page
     * as unmapped, and the shrinker should not trade one for the other.
     */
    static String byteChanges(byte[] e, byte[] o) {
        if (e.length != o.length) {
            return "(length)";
        }
        TreeSet<String> changes = new TreeSet<>();
        for (int i = 0; i < e.length; i++) {
            if (e[i] != o[i]) {
                changes.add(String.format("%02x>%02x", e[i], o[i]));
            }
        }
        return "(" + String.join(",", changes) + ")";
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
            d.add("snapshot" + byteChanges(e.snapshotBytes(), o.snapshotBytes()));
        }
        return new ArrayList<>(d);
    }
}
