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
 * The crash path for real: the guest provokes a hang, a panic (sysrq-c) and a WARNING through
 * LKDTM; each must be detected, titled and pinned on its test, and the session must go on in a
 * fresh VM until the last probe passes.
 */
class CrashHandlingIT {

    @Test
    void panicWarningAndHangAreTitledPinnedAndSurvived() throws Exception {
        Path results = Path.of("target/it-results/crash-probes").toAbsolutePath();
        // crashprobe.oom (a guest out of memory) has its own IT, GuestOomIT; no confirmation reruns here
        int exit = Main.execute("run", "--variant", "merged", "--select",
                "crashprobe.hang,crashprobe.panic,crashprobe.warning,crashprobe.zz_after", "--confirm", "0", "--results-dir",
                results.toString());
        JsonNode json = new ObjectMapper().readTree(results.resolve("results.json").toFile());
        Map<String, JsonNode> tests = new HashMap<>();
        json.path("tests").forEach(t -> tests.put(t.path("id").asText(), t));

        assertThat(exit).isEqualTo(ExitCode.KERNEL_CRASH.code);
        assertThat(tests.get("crashprobe.panic").path("status").asText()).isEqualTo("CRASHED");
        assertThat(tests.get("crashprobe.panic").path("message").asText()).isEqualTo("kernel panic: sysrq triggered crash");
        assertThat(tests.get("crashprobe.warning").path("status").asText()).isEqualTo("CRASHED");
        assertThat(tests.get("crashprobe.warning").path("message").asText()).startsWith("WARNING in lkdtm");
        assertThat(tests.get("crashprobe.hang").path("status").asText()).isEqualTo("CRASHED");
        assertThat(tests.get("crashprobe.hang").path("message").asText())
                .matches("INFO: task hung in .*|hang: .*");
        assertThat(tests.get("crashprobe.zz_after").path("status").asText()).isEqualTo("PASS");
        assertThat(json.path("vms")).hasSize(4);
        // Every VM after a crash is restored from the warm snapshot the first VM saved (or was itself restored).
        json.path("vms").forEach(vm -> assertThat(vm.path("start").path("how").asText())
                .as("how VM %s started", vm.path("index")).isIn("restored", "booted-and-saved"));
        assertThat(json.path("vms").get(3).path("start").path("how").asText()).isEqualTo("restored");

        JsonNode crashesDoc = new ObjectMapper().readTree(results.resolve("crashes.json").toFile());
        assertThat(crashesDoc.path("schema").asText()).isEqualTo("hmmtest-crashes");
        assertThat(crashesDoc.path("harness").asText()).startsWith("0.1.0");
        assertThat(crashesDoc.path("startedAt").asText()).isNotEmpty();
        JsonNode crashes = crashesDoc.path("crashes");
        assertThat(crashes).hasSize(3);
        crashes.forEach(c -> {
            assertThat(c.path("test").asText()).startsWith("crashprobe.");
            assertThat(c.path("excerpt").size() + c.path("taskDump").size()).isPositive();
        });
        assertThat(Processes.qemuChildren()).isEmpty();
    }
}
