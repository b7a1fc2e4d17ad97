package hmmtest.differential;

import hmmtest.protocol.ResultRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What a fuzz run decided, read back from its result records, in a form two engines can be
 * compared by (make bench-fuzz): the counts of the guest's totals, the divergence signatures, and
 * a hash of the main run's action trace (every sequence start and every action written ahead, in
 * order). Timing never enters it: progress records, rates and shrinking times are left out, so
 * the same seed and action budget give the same digest on a faster engine.
 *
 * @param actions main-run actions (the guest's total)
 * @param sequences main-run sequences
 * @param divergences divergences of the main run
 * @param distinct of them, with a signature not seen before
 * @param signatures the divergences' signatures, in order
 * @param stopReason why the guest stopped, or null if it sent no totals (it crashed, the VM died)
 * @param trace first 16 hex digits of the SHA-256 of the main run's sequence starts and actions
 * @param actionsPerSecond the guest's own main-run rate (not part of the verdict)
 * @param profile the guest's "fuzz-profile" line (where the main run's time went), or null if it
 *     sent none (engines before 2026-12-04)
 */
public record FuzzDigest(long actions, long sequences, long divergences, long distinct, List<String> signatures,
        String stopReason, String trace, double actionsPerSecond, String profile) {

    public FuzzDigest {
        signatures = List.copyOf(signatures);
    }

    /** The verdict without the rate: equal for two runs that decided the same. */
    public String verdict() {
        return "actions " + actions + ", sequences " + sequences + ", divergences " + divergences + " (" + distinct
                + " distinct" + (signatures.isEmpty() ? "" : ": " + String.join("; ", signatures)) + "), "
                + (stopReason == null ? "no totals" : stopReason) + ", trace " + trace;
    }

    /**
     * Reads a fuzz run's {@code fuzz/results.log} (or the file itself), and the host engine's
     * records beside it ({@code engine.log}) if that engine ran.
     */
    public static FuzzDigest of(Path resultsLog) throws IOException {
        Path f = Files.isDirectory(resultsLog) ? resultsLog.resolve("fuzz").resolve("results.log") : resultsLog;
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(f, StandardCharsets.UTF_8));
        Path engine = f.resolveSibling(HostEngine.LOG);
        if (Files.isRegularFile(engine)) {
            lines.addAll(Files.readAllLines(engine, StandardCharsets.UTF_8));
        }
        return of(lines);
    }

    static FuzzDigest of(List<String> lines) {
        MessageDigest sha = sha256();
        List<String> signatures = new ArrayList<>();
        String[] stat = null;
        String profile = null;
        boolean main = false;
        for (String line : lines) {
            ResultRecord r = ResultRecord.decode(line);
            if (r != null && r.kind() == ResultRecord.Kind.INFO && r.field(0).equals("fuzz-profile")) {
                profile = r.field(1);
            }
            if (r == null || r.kind() != ResultRecord.Kind.FUZZ) {
                continue;
            }
            switch (r.field(0)) {
                case "seq" -> {
                    main = r.field(2).equals("FUZZ"); // shrink candidates are the shrinker's, not the run's
                    if (main) {
                        sha.update(("seq " + r.field(1) + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                }
                case "act" -> {
                    if (main) {
                        sha.update((r.field(1) + " " + r.field(2) + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                }
                case "div" -> signatures.add(r.field(8));
                case "stat" -> stat = r.fields().subList(1, r.fields().size()).toArray(String[]::new);
                default -> { }
            }
        }
        String trace = HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        // "stat": actions, sequences, divergences, distinct, shrinkCandidates, seconds, actionsPerSecond, stopReason
        return new FuzzDigest(stat == null ? -1 : parseLong(stat[0]), stat == null ? -1 : parseLong(stat[1]),
                stat == null ? signatures.size() : parseLong(stat[2]), stat == null ? -1 : parseLong(stat[3]), signatures,
                stat == null || stat.length < 8 ? null : stat[7], trace, stat == null || stat.length < 7 ? 0
                        : parseDouble(stat[6]), profile);
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
            return 0;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
