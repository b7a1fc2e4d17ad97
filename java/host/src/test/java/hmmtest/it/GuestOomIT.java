package hmmtest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmmtest.cli.Main;
import hmmtest.infra.ExitCode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A guest that runs out of memory: crashprobe.oom populates anonymous memory until the guest
 * kernel's OOM killer takes the JVM. The outcome must name the OOM kill (not "guest died"), be
 * pinned on that test with the OOM report as excerpt, and the session must go on in a fresh VM
 * (crashprobe.zz_after passes) and end with its results written: no hang.
 */
class GuestOomIT {

    @Test
    void anOomKillInTheGuestIsNamedPinnedAndSurvived() throws Exception {
        Path results = Path.of("target/it-results/guest-oom").toAbsolutePath();
        long t0 = System.nanoTime();
        int exit = Main.execute("run", "--variant", "merged", "--select", "crashprobe.oom,crashprobe.zz_after", "--confirm", "0",
                "--results-dir", results.toString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        JsonNode json = new ObjectMapper().readTree(results.resolve("results.json").toFile());
        Map<String, JsonNode> tests = new HashMap<>();
        json.path("tests").forEach(t -> tests.put(t.path("id").asText(), t));

        assertThat(exit).isEqualTo(ExitCode.KERNEL_CRASH.code);
        assertThat(seconds).as("wall seconds").isLessThan(240);
        JsonNode oom = tests.get("crashprobe.oom");
        assertThat(oom.path("status").asText()).isEqualTo("CRASHED");
        assertThat(oom.path("message").asText())
                .matches("out of memory: the guest kernel's OOM killer killed process \\d+ \\(java\\)");
        assertThat(tests.get("crashprobe.zz_after").path("status").asText()).isEqualTo("PASS");
        JsonNode crashes = new ObjectMapper().readTree(results.resolve("crashes.json").toFile()).path("crashes");
        assertThat(crashes).hasSize(1);
        assertThat(crashes.get(0).path("kind").asText()).isEqualTo("OOM");
        assertThat(crashes.get(0).path("test").asText()).isEqualTo("crashprobe.oom");
        assertThat(crashes.get(0).path("excerpt").toString()).contains("invoked oom-killer").contains("Out of memory: Killed process");
        assertThat(json.path("vms")).hasSize(2);
        assertThat(Processes.qemuChildren()).isEmpty();
    }
}
