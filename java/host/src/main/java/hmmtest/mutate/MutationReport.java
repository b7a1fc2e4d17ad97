package hmmtest.mutate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a mutation run found, survivors first (each a changed line no test checks, with its
 * diff): the score (killed and timed out over every mutant that compiled and was judged) and the
 * mutants judged per hour. Written as mutate.txt and mutate.json.
 */
public record MutationReport(String kernel, Path reference, List<MutationRun.Judged> judged, double seconds) {

    public long count(MutationRun.Verdict v) {
        return judged.stream().filter(j -> j.verdict() == v).count();
    }

    /** Detected over judged (a timed-out mutant counts as detected, as mutation tools count it). */
    public double score() {
        long detected = count(MutationRun.Verdict.KILLED) + count(MutationRun.Verdict.TIMED_OUT);
        long judgedCount = detected + count(MutationRun.Verdict.SURVIVED);
        return judgedCount == 0 ? 0 : (double) detected / judgedCount;
    }

    public double perHour() {
        long built = judged.stream().filter(j -> j.verdict() != MutationRun.Verdict.NOT_JUDGED).count();
        return seconds <= 0 ? 0 : built * 3600.0 / seconds;
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "mutation score of %s: %.0f%% (%d killed, %d timed out, %d survived; %d did"
                + " not compile, %d not judged: outside the budget)%n%.1f mutants/hour (%d in %.0f s); reference run: %s%n",
                kernel, 100 * score(), count(MutationRun.Verdict.KILLED), count(MutationRun.Verdict.TIMED_OUT),
                count(MutationRun.Verdict.SURVIVED), count(MutationRun.Verdict.NOT_COMPILED),
                count(MutationRun.Verdict.NOT_JUDGED), perHour(),
                judged.stream().filter(j -> j.verdict() != MutationRun.Verdict.NOT_JUDGED).count(), seconds, reference));
        for (MutationRun.Verdict v : List.of(MutationRun.Verdict.SURVIVED, MutationRun.Verdict.TIMED_OUT,
                MutationRun.Verdict.KILLED, MutationRun.Verdict.NOT_COMPILED, MutationRun.Verdict.NOT_JUDGED)) {
            for (MutationRun.Judged j : judged) {
                if (j.verdict() != v) {
                    continue;
                }
                sb.append('\n').append(v == MutationRun.Verdict.SURVIVED ? "SURVIVED (no test noticed this change)" : v.name())
                        .append(": mutant ").append(j.mutant().id()).append(' ').append(j.mutant().describe())
                        .append(j.detail().isEmpty() ? "" : "\n  " + j.detail()).append('\n');
                if (v == MutationRun.Verdict.SURVIVED || v == MutationRun.Verdict.TIMED_OUT) {
                    j.diff().lines().forEach(l -> sb.append("    ").append(l).append('\n'));
                }
            }
        }
        return sb.toString();
    }

    public void write(Path dir) throws IOException {
        Files.writeString(dir.resolve("mutate.txt"), text());
        Map<String, Object> m = hmmtest.infra.Harness.header("hmmtest-mutate", java.time.Instant.now());
        m.put("kernel", kernel);
        m.put("score", score());
        m.put("mutantsPerHour", perHour());
        m.put("seconds", seconds);
        m.put("mutants", judged.stream().map(j -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", j.mutant().id());
            e.put("file", j.mutant().file());
            e.put("line", j.mutant().line());
            e.put("operator", j.mutant().operator());
            e.put("verdict", j.verdict().name());
            e.put("detail", j.detail());
            e.put("seconds", j.seconds());
            e.put("diff", j.diff());
            return e;
        }).toList());
        new com.fasterxml.jackson.databind.ObjectMapper().enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .writeValue(dir.resolve("mutate.json").toFile(), m);
    }
}
