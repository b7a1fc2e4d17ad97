package hmmtest.differential;

import hmmtest.protocol.ResultRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host's view of a differential run, built from the guest's "fuzz" records: the actions of
 * the sequence in flight (written ahead, so after a kernel crash they end with the action that
 * killed it), divergences, reproducer files and the totals.
 */
final class FuzzLog {
    /** One divergence as the guest reported it. */
    record Divergence(String id, String action, String predicted, String observed, String diff, String signature) {}

    final List<String> sequence = new ArrayList<>();
    String sequenceKind = "";
    final List<Divergence> divergences = new ArrayList<>();
    final Map<String, String> files = new LinkedHashMap<>();
    final Map<String, String> info = new LinkedHashMap<>();
    String[] stats;
    String[] progress;

    void apply(ResultRecord r) {
        if (r.kind() == ResultRecord.Kind.INFO) {
            info.put(r.field(0), r.field(1));
            return;
        }
        if (r.kind() != ResultRecord.Kind.FUZZ) {
            return;
        }
        switch (r.field(0)) {
            case "seq" -> {
                sequence.clear();
                sequenceKind = r.field(2);
            }
            case "act" -> sequence.add(r.field(2));
            case "div" -> divergences.add(new Divergence(r.field(1), r.field(4), r.field(5), r.field(6), r.field(7),
                    r.field(8)));
            case "file" -> files.put(r.field(1), r.field(2));
            case "prog" -> progress = r.fields().subList(1, r.fields().size()).toArray(String[]::new);
            case "stat" -> stats = r.fields().subList(1, r.fields().size()).toArray(String[]::new);
            default -> { }
        }
    }

    /** actions, sequences, divergences, distinct, shrinkCandidates, seconds, actionsPerSecond, stopReason */
    String stat(int i) {
        return stats != null && i < stats.length ? stats[i] : progress != null && i < progress.length ? progress[i] : "?";
    }
}
