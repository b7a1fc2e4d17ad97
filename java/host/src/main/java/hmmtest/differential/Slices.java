package hmmtest.differential;

import hmmtest.model.Action;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Cheap first guesses for shrinking a crash, before delta debugging spends VM boots: the action
 * that crashed plus only what it stands on. ddmin alone rarely keeps the one mmap an ioctl needs
 * out of hundreds of actions within a budget of a dozen boots.
 */
final class Slices {
    private Slices() {}

    /**
     * The last action and, walking back, what decides whether it can even reach the kernel path
     * it crashed in: the mmap/mremap that made its mapping, every mprotect of that mapping since
     * (a PROT_NONE mapping made writable later is common in generated sequences), and the open
     * of its fd.
     */
    static List<Action> causal(List<Action> seq) {
        return slice(seq, false);
    }

    /**
     * The smallest plausible form: the crashing action's mapping created readable and writable
     * from the start (its mprotects folded in), the open of its fd, and the action itself.
     */
    static List<Action> core(List<Action> seq) {
        List<Action> out = new ArrayList<>();
        for (Action a : causal(seq)) {
            if (a instanceof Action.Mmap m && m.fd() < 0) {
                out.add(new Action.Mmap(m.id(), m.pages(), hmmtest.model.Prot.RW, m.kind(), m.thp(), m.fd()));
            } else if (!(a instanceof Action.Mprotect)) {
                out.add(a);
            }
        }
        return out;
    }

    /** The causal slice plus every earlier action on the same mappings and fds (state that may matter). */
    static List<Action> touching(List<Action> seq) {
        return slice(seq, true);
    }

    private static List<Action> slice(List<Action> seq, boolean alsoTouching) {
        if (seq.isEmpty()) {
            return seq;
        }
        Action last = seq.get(seq.size() - 1);
        Set<Integer> maps = new HashSet<>(mapsOf(last));
        Set<Integer> fds = new HashSet<>(fdsOf(last));
        boolean[] keep = new boolean[seq.size()];
        keep[seq.size() - 1] = true;
        Set<Integer> mapsMade = new HashSet<>();
        Set<Integer> fdsOpened = new HashSet<>();
        for (int i = seq.size() - 2; i >= 0; i--) {
            Action a = seq.get(i);
            if (a instanceof Action.Mmap m && maps.contains(m.id()) && mapsMade.add(m.id())) {
                keep[i] = true;
                if (m.fd() >= 0) {
                    fds.add(m.fd());
                }
            } else if (a instanceof Action.Mremap r && maps.contains(r.to()) && !mapsMade.contains(r.to())) {
                keep[i] = true;
                maps.add(r.map());
            } else if (a instanceof Action.Mprotect p && maps.contains(p.map()) && !mapsMade.contains(p.map())) {
                keep[i] = true;
            } else if (a instanceof Action.Open o && fds.contains(o.fd()) && fdsOpened.add(o.fd())) {
                keep[i] = true;
            } else if (alsoTouching && (!mapsOf(a).isEmpty() && maps.containsAll(mapsOf(a))
                    && !mapsMade.containsAll(mapsOf(a)) || !fdsOf(a).isEmpty() && fds.containsAll(fdsOf(a))
                    && !fdsOpened.containsAll(fdsOf(a)))) {
                keep[i] = true;
            }
        }
        List<Action> out = new ArrayList<>();
        for (int i = 0; i < seq.size(); i++) {
            if (keep[i]) {
                out.add(seq.get(i));
            }
        }
        return out;
    }

    private static List<Integer> mapsOf(Action a) {
        if (a instanceof Action.Ioctl i) {
            return List.of(i.map());
        } else if (a instanceof Action.Munmap m) {
            return List.of(m.map());
        } else if (a instanceof Action.Mprotect m) {
            return List.of(m.map());
        } else if (a instanceof Action.Madvise m) {
            return List.of(m.map());
        } else if (a instanceof Action.CpuRead c) {
            return List.of(c.map());
        } else if (a instanceof Action.CpuWrite c) {
            return List.of(c.map());
        } else if (a instanceof Action.ForkChildWrite f) {
            return List.of(f.map());
        }
        return List.of();
    }

    private static List<Integer> fdsOf(Action a) {
        if (a instanceof Action.Ioctl i) {
            return List.of(i.fd());
        } else if (a instanceof Action.Close c) {
            return List.of(c.fd());
        }
        return List.of();
    }
}
