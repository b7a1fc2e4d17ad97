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
    /** Actions of the main run's sequences the guest wrote ahead (shrink and replay sequences not counted). */
    long mainActions;

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
            case "act" -> {
                sequence.add(r.field(2));
                if (sequenceKind.equals("FUZZ")) {
                    mainActions++;
                }
            }
            case "div" -> divergences.add(new Divergence(r.field(1), r.field(4), r.field(5), r.field(6), r.field(7),
                    r.field(8)));
            case "file" -> files.put(r.field(1), r.field(2));
            case "prog" -> progress = r.fields().subList(1, r.fields().size()).toArray(String[]::new);
            case "stat" -> stats = r.fields().subList(1, r.fields().size()).toArray(String[]::new);
            default -> { }
        }
    }

    // The guest's totals ("stat": actions, sequences, divergences, distinct, shrinkCandidates,
    // seconds, actionsPerSecond, stopReason) arrive only if it finished; after a crash the last
    // progress record ("prog": actions, sequences, divergences, seconds, actionsPerSecond) and the
    // written-ahead actions are what is known.

    /** Actions the run performed: the guest's total, or after a crash those written ahead in main sequences. */
    long actions() {
        if (stats != null) {
            return parseLong(stats[0]);
        }
        return sequenceKind.equals("REPLAY") ? sequence.size() : mainActions;
    }

    /** The guest's measured rate: its total's, else its last progress report's (0 if it sent neither). */
    double actionsPerSecond() {
        if (stats != null && stats.length > 6) {
            return parseDouble(stats[6]);
        }
        return progress != null && progress.length > 4 ? parseDouble(progress[4]) : 0;
    }

    /** Why the guest stopped, or null if it never said (it crashed, or the VM died). */
    String stopReason() {
        return stats != null && stats.length > 7 ? stats[7] : null;
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static double parseDouble(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
