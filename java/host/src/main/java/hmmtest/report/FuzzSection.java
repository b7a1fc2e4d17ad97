package hmmtest.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The differential-testing figures a run may carry (results.json's optional {@code fuzz} object):
 * the seed that replays it, how many actions ran and how fast, where the kernel and the reference
 * model disagreed, and the kernel crashes it provoked. Divergences are kept as flat key/value
 * maps because their fields belong to the fuzzer, not to the reports.
 */
public record FuzzSection(String seed, long actions, double actionsPerSecond, List<Map<String, String>> divergences,
        List<RunReport.Crash> crashes) {

    static FuzzSection from(JsonNode f) {
        List<Map<String, String>> divergences = new ArrayList<>();
        f.path("divergences").forEach(d -> divergences.add(Json.flat(d)));
        List<RunReport.Crash> crashes = new ArrayList<>();
        f.path("crashes").forEach(c -> crashes.add(RunReport.Crash.from(c)));
        return new FuzzSection(f.path("seed").asText(""), f.path("actions").asLong(0),
                f.path("actionsPerSecond").asDouble(0), divergences, crashes);
    }

    /** Every key any divergence has, in first-seen order: the columns of a divergence table. */
    public List<String> divergenceColumns() {
        List<String> keys = new ArrayList<>();
        divergences.forEach(d -> d.keySet().stream().filter(k -> !keys.contains(k)).forEach(keys::add));
        return keys;
    }
}
