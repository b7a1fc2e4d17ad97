package hmmtest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hmmtest.infra.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Merging shard results directories: what the merged results and reports say, and what is refused. */
class ShardMergeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PLAN = List.of("hmm.a.one", "hmm.a.two", "hmm.b.three", "hmm.b.four");

    @TempDir
    Path tmp;

    /** A shard's results directory as `run --shard` writes it: results.json and one console per VM. */
    Path shard(String name, int index, int count, Map<String, String> statuses, String crashOn, String selection)
            throws IOException {
        Path d = Files.createDirectories(tmp.resolve(name));
        ObjectNode r = JSON.createObjectNode();
        r.put("schema", "hmmtest-results").put("schemaVersion", 1).put("harness", "test").put("startedAt",
                "2026-12-04T10:00:0" + index + "Z");
        r.put("variant", "merged").put("kernelBuild", "/cache/kernels/k1").put("kernelRelease", "7.3.4");
        r.putObject("kernelManifest").put("key", "k1").put("kernelRelease", "7.3.4");
        r.put("accelerator", "tcg");
        r.putObject("info").put("kernel", "7.3.4");
        List<String> mine = new ArrayList<>(statuses.keySet());
        r.set("plan", JSON.valueToTree(mine));
        ObjectNode s = r.putObject("shard");
        s.put("index", index).put("count", count).put("selection", selection);
        s.set("selectionPlan", JSON.valueToTree(PLAN));
        s.set("tests", JSON.valueToTree(mine));
        ArrayNode tests = r.putArray("tests");
        statuses.forEach((id, st) -> tests.addObject().put("id", id).put("status", st).put("millis", 10)
                .put("message", st.equals("CRASHED") ? "BUG: in shard " + index : ""));
        ArrayNode crashes = r.putArray("crashes");
        int vms = 1;
        if (crashOn != null) {
            crashes.addObject().put("test", crashOn).put("vm", 1).put("kind", "BUG").put("title", "BUG: in shard " + index)
                    .putArray("excerpt").add("BUG: in shard " + index);
            vms = 2;
        }
        r.putArray("knownIssues");
        r.putObject("notes");
        ArrayNode v = r.putArray("vms");
        for (int i = 1; i <= vms; i++) {
            v.addObject().put("index", i).put("ending", "guest finished").put("seconds", 1.0);
            Files.createDirectories(d.resolve("vm-" + i));
            Files.writeString(d.resolve("vm-" + i).resolve("console.log"), "shard " + index + " vm " + i + "\n");
        }
        r.putArray("recoverySeconds");
        r.putArray("infrastructure");
        r.putNull("incomplete");
        r.put("infrastructureFailure", false);
        r.putNull("bootFailure");
        r.put("exitCode", crashOn != null ? 3 : statuses.containsValue("FAIL") ? 1 : 0);
        JSON.writeValue(d.resolve("results.json").toFile(), r);
        return d;
    }

    @Test
    void twoShardsMergeIntoOneRunInPlanOrderWithItsConsolesAndOneKtapAndJunitFile() throws IOException {
        Path s1 = shard("s1", 1, 2, Map.of("hmm.a.two", "PASS", "hmm.b.four", "FAIL"), null, "hmm.*");
        Path s2 = shard("s2", 2, 2, new java.util.LinkedHashMap<>(Map.of("hmm.a.one", "CRASHED", "hmm.b.three", "PASS")),
                "hmm.a.one", "hmm.*");
        Path out = tmp.resolve("merged");
        ShardMerge.Outcome o = ShardMerge.merge(List.of(s2, s1), out, "hmmtest merge s1 s2");
        assertThat(o.exitCode()).isEqualTo(ExitCode.KERNEL_CRASH);
        assertThat(o.problems()).isEmpty();
        JsonNode r = JSON.readTree(out.resolve("results.json").toFile());
        List<String> ids = new ArrayList<>();
        r.path("tests").forEach(t -> ids.add(t.path("id").asText() + "=" + t.path("status").asText()));
        assertThat(ids).containsExactly("hmm.a.one=CRASHED", "hmm.a.two=PASS", "hmm.b.three=PASS", "hmm.b.four=FAIL");
        // shard 1's one VM stays vm-1; shard 2's two VMs become vm-2 and vm-3, its crash with them
        assertThat(r.path("vms").findValuesAsText("index")).containsExactly("1", "2", "3");
        assertThat(r.path("crashes").get(0).path("vm").asInt()).isEqualTo(2);
        assertThat(Files.readString(out.resolve("vm-2/console.log"))).isEqualTo("shard 2 vm 1\n");
        assertThat(Files.readString(out.resolve("vm-3/console.log"))).isEqualTo("shard 2 vm 2\n");
        assertThat(r.path("shard").path("missing")).isEmpty();
        assertThat(out.resolve("results.ktap")).exists();
        try (var junit = Files.list(out.resolve("junit"))) {
            assertThat(junit.toList()).hasSize(1);
        }
        String ktap = Files.readString(out.resolve("results.ktap"));
        assertThat(ktap).contains("hmm.a.one").contains("hmm.b.four");
        assertThat(Files.readString(out.resolve("summary.txt"))).contains("shards 1/2, 2/2 of 'hmm.*' merged");
    }

    @Test
    void aMissingShardIsNamedAndItsTestsAreNotRun() throws IOException {
        Path s1 = shard("s1", 1, 3, Map.of("hmm.a.one", "PASS", "hmm.a.two", "PASS"), null, "hmm.*");
        Path broken = Files.createDirectories(tmp.resolve("s3-failed")); // the job of shard 3 left no results
        ShardMerge.Outcome o = ShardMerge.merge(List.of(s1, broken), tmp.resolve("m"), "merge");
        assertThat(o.exitCode()).isEqualTo(ExitCode.INCOMPLETE);
        assertThat(o.problems()).anyMatch(p -> p.contains("s3-failed") && p.contains("no results.json"))
                .anyMatch(p -> p.equals("shard 2/3 missing")).anyMatch(p -> p.equals("shard 3/3 missing"));
        JsonNode r = JSON.readTree(tmp.resolve("m/results.json").toFile());
        assertThat(r.path("tests").get(2).path("status").asText()).isEqualTo("NOT_RUN");
        assertThat(r.path("tests").get(2).path("message").asText()).isEqualTo("not run: shards 2/3, 3/3 missing from the merge");
        assertThat(r.path("incomplete").asText()).contains("shards 2/3, 3/3 missing");
        assertThat(Files.readString(tmp.resolve("m/summary.txt"))).contains("hmm.b.three")
                .contains("shard 1/3 of 'hmm.*' merged; MISSING: 2/3, 3/3");
    }

    @Test
    void shardsThatDoNotBelongTogetherAreRefused() throws IOException {
        Path a = shard("a", 1, 2, Map.of("hmm.a.one", "PASS"), null, "hmm.*");
        Path again = shard("again", 1, 2, Map.of("hmm.a.one", "PASS"), null, "hmm.*");
        assertThatThrownBy(() -> ShardMerge.merge(List.of(a, again), tmp.resolve("x1"), "merge"))
                .hasMessageContaining("shard 1/2 given twice");
        Path other = shard("other", 2, 2, Map.of("hmm.b.three", "PASS"), null, "hmm.b.*");
        assertThatThrownBy(() -> ShardMerge.merge(List.of(a, other), tmp.resolve("x2"), "merge"))
                .hasMessageContaining("different selections");
        Path overlap = shard("overlap", 2, 2, Map.of("hmm.a.one", "PASS", "hmm.b.three", "PASS"), null, "hmm.*");
        assertThatThrownBy(() -> ShardMerge.merge(List.of(a, overlap), tmp.resolve("x3"), "merge"))
                .hasMessageContaining("split differently");
        Path ofThree = shard("three", 2, 3, Map.of("hmm.b.three", "PASS"), null, "hmm.*");
        assertThatThrownBy(() -> ShardMerge.merge(List.of(a, ofThree), tmp.resolve("x4"), "merge"))
                .hasMessageContaining("not shards of one run");
        Path notShard = Files.createDirectories(tmp.resolve("plain"));
        Files.writeString(notShard.resolve("results.json"), "{\"tests\": []}");
        assertThatThrownBy(() -> ShardMerge.merge(List.of(a, notShard), tmp.resolve("x5"), "merge"))
                .hasMessageContaining("is not a shard's results");
        assertThatThrownBy(() -> ShardMerge.merge(List.of(a), a.resolve("inside"), "merge"))
                .hasMessageContaining("must not be inside");
    }
}
