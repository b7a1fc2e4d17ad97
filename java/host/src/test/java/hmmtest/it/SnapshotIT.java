package hmmtest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmmtest.cli.Main;
import hmmtest.console.KnownIssues;
import hmmtest.differential.DifferentialRun;
import hmmtest.infra.CacheDir;
import hmmtest.kernel.KernelSpec;
import hmmtest.pipeline.KernelRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Warm snapshots change how a VM starts, never what it finds: the same selection gives the same
 * verdicts in a restored VM as in a cold-booted one, and a fuzz seed gives the same actions and
 * divergences either way (the restored guest's clock and entropy are its own; the fuzzer's
 * randomness is the seed's).
 */
class SnapshotIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRestoredVmAndAColdBootGiveTheSameVerdicts() throws Exception {
        Path warm = Path.of("target/it-results/snapshot-smoke").toAbsolutePath();
        Path cold = Path.of("target/it-results/snapshot-smoke-cold").toAbsolutePath();
        int warmExit = Main.execute("smoke", "--variant", "merged", "--results-dir", warm.toString());
        int coldExit = Main.execute("smoke", "--variant", "merged", "--no-snapshot", "--results-dir", cold.toString());

        JsonNode w = JSON.readTree(warm.resolve("results.json").toFile());
        JsonNode c = JSON.readTree(cold.resolve("results.json").toFile());
        assertThat(verdicts(w)).isEqualTo(verdicts(c)).hasSize(5).containsValue("PASS").doesNotContainValue("CRASHED");
        assertThat(warmExit).isEqualTo(coldExit).isZero();
        assertThat(w.path("schema").asText()).isEqualTo("hmmtest-results");
        assertThat(w.path("startedAt").asText()).isNotEmpty();
        JsonNode warmStart = w.path("vms").get(0).path("start");
        assertThat(warmStart.path("how").asText()).isIn("restored", "booted-and-saved");
        assertThat(warmStart.path("snapshot").asText()).hasSize(24);
        assertThat(warmStart.path("restoreSeconds").asDouble()).isPositive();
        assertThat(c.path("vms").get(0).path("start").path("how").asText()).isEqualTo("booted");
        // The restored guest runs on the host's clock, not the snapshot's.
        assertThat(w.path("vms").get(0).path("phases").has("resumed")).isTrue();
        assertThat(Processes.qemuChildren()).isEmpty();
    }

    @Test
    void aFuzzSeedGivesTheSameVerdictsRestoredOrBooted() throws Exception {
        CacheDir cache = CacheDir.fromEnvironment();
        KernelRun.Bootable boot = KernelRun.prepare(cache, KernelSpec.variant("merged", null), "auto");
        KnownIssues known = KnownIssues.read(Path.of(System.getProperty("hmmtest.home", "."), "known-issues.txt"));
        DifferentialRun.Settings s = new DifferentialRun.Settings(5, 3000L, null, false, 4, "snapshot IT");
        DifferentialRun.Result restored = new DifferentialRun(KernelRun.differentialMachine(cache, boot, true),
                Path.of("target/it-results/snapshot-fuzz").toAbsolutePath(), known).run(s);
        DifferentialRun.Result booted = new DifferentialRun(KernelRun.differentialMachine(cache, boot, false),
                Path.of("target/it-results/snapshot-fuzz-cold").toAbsolutePath(), known).run(s);

        assertThat(restored.actions()).isEqualTo(booted.actions()).isEqualTo(3000);
        assertThat(restored.divergences()).isEqualTo(booted.divergences());
        assertThat(signatures(restored.divergenceList())).isEqualTo(signatures(booted.divergenceList()));
        assertThat(restored.exitCode()).isEqualTo(booted.exitCode());
        assertThat(restored.crashTitle()).isNull();
        assertThat(Processes.qemuChildren()).isEmpty();
    }

    private static Map<String, String> verdicts(JsonNode results) {
        Map<String, String> m = new TreeMap<>();
        results.path("tests").forEach(t -> m.put(t.path("id").asText(), t.path("status").asText()));
        return m;
    }

    private static List<Object> signatures(List<Map<String, Object>> divergences) {
        return divergences.stream().map(d -> d.get("signature")).toList();
    }
}
