package hmmtest.model;

import hmmtest.uapi.Errno;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The outcomes the model allows for one action, each with the reason it is possible. Usually one;
 * more only where the kernel may legitimately differ (THP availability, COW reuse after fork,
 * hugetlb reservation), each alternative named by the rule that allows it.
 */
public final class Prediction {

    /** One allowed outcome and why (empty {@code because}: the nominal behaviour). */
    public record Alternative(Outcome outcome, List<String> because) {
        public Alternative {
            because = List.copyOf(because);
        }
    }

    private final List<Alternative> alternatives;
    private final List<Hazard> hazards;

    Prediction(List<Alternative> alternatives, List<Hazard> hazards) {
        this.alternatives = List.copyOf(alternatives);
        this.hazards = List.copyOf(hazards);
    }

    public List<Alternative> alternatives() {
        return alternatives;
    }

    public List<Outcome> outcomes() {
        List<Outcome> out = new ArrayList<>();
        for (Alternative a : alternatives) {
            if (!out.contains(a.outcome())) {
                out.add(a.outcome());
            }
        }
        return out;
    }

    /** Hazards some path of this action reaches (fatal ones have no outcome). */
    public List<Hazard> hazards() {
        return hazards;
    }

    public Optional<Hazard> fatalHazard() {
        return hazards.stream().filter(h -> h.kind().fatal()).findFirst();
    }

    public boolean allows(Outcome observed) {
        return alternatives.stream().anyMatch(a -> a.outcome().equals(observed));
    }

    /** A readable account of how {@code observed} differs from the closest allowed outcome. */
    public String diff(Outcome observed) {
        StringBuilder sb = new StringBuilder();
        sb.append("observed: ").append(observed).append('\n');
        if (alternatives.isEmpty()) {
            sb.append("expected: no outcome, the kernel should have hit ").append(hazards).append('\n');
            return sb.toString();
        }
        Alternative best = null;
        List<String> bestDiffs = null;
        for (Alternative a : alternatives) {
            List<String> d = fieldDiffs(a.outcome(), observed);
            if (best == null || d.size() < bestDiffs.size()) {
                best = a;
                bestDiffs = d;
            }
        }
        sb.append("expected").append(alternatives.size() > 1 ? " (closest of " + alternatives.size() + ")" : "")
                .append(": ").append(best.outcome()).append('\n');
        for (String d : bestDiffs) {
            sb.append("  ").append(d).append('\n');
        }
        if (!best.because().isEmpty()) {
            sb.append("  because: ").append(String.join("; ", best.because())).append('\n');
        }
        for (Alternative a : alternatives) {
            if (a != best) {
                sb.append("also allowed: ").append(a.outcome());
                if (!a.because().isEmpty()) {
                    sb.append(" (").append(String.join("; ", a.because())).append(')');
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private static List<String> fieldDiffs(Outcome e, Outcome o) {
        List<String> d = new ArrayList<>();
        if (e.errno() != o.errno()) {
            d.add("errno: expected " + Errno.name(e.errno()) + ", observed " + Errno.name(o.errno()));
        }
        if (e.cpages() != o.cpages()) {
            d.add("cpages: expected " + e.cpages() + ", observed " + o.cpages());
        }
        if (e.faults() != o.faults()) {
            d.add("faults: expected " + e.faults() + ", observed " + o.faults());
        }
        if (e.data().size() != o.data().size()) {
            d.add("data: expected " + e.data().size() + " pages, observed " + o.data().size());
        } else {
            for (int i = 0; i < e.data().size(); i++) {
                if (!e.data().get(i).equals(o.data().get(i))) {
                    d.add("data page " + i + ": expected " + Outcome.tokens(List.of(e.data().get(i)))
                            + ", observed " + Outcome.tokens(List.of(o.data().get(i))));
                }
            }
        }
        byte[] es = e.snapshotBytes();
        byte[] os = o.snapshotBytes();
        if (es.length != os.length) {
            d.add("snapshot: expected " + es.length + " bytes, observed " + os.length);
        } else {
            for (int i = 0; i < es.length; i++) {
                if (es[i] != os[i]) {
                    d.add(String.format("snapshot byte %d: expected %02x, observed %02x", i, es[i], os[i]));
                }
            }
        }
        return d;
    }

    @Override
    public String toString() {
        return alternatives.size() == 1 && hazards.isEmpty() ? alternatives.get(0).outcome().toString()
                : "one of " + outcomes() + (hazards.isEmpty() ? "" : " hazards " + hazards);
    }
}
