package hmmtest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmmtest.cli.Main;
import hmmtest.infra.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A crash is labelled by its reruns: crashprobe.flaky_panic crashes every second VM, so of three
 * reruns in fresh VMs one crashes again: flaky 1/3, in results.json and in the text summary.
 */
class ConfirmationIT {

    @Test
    void aCrashThatComesBackOnceInThreeRerunsIsFlaky() throws Exception {
        Path results = null;
        JsonNode json = null;
        // The probe crashes on odd VM serials of this JVM: at most one run passes before one crashes.
        for (int attempt = 1; attempt <= 2; attempt++) {
            results = Path.of("target/it-results/confirm-flaky-" + attempt).toAbsolutePath();
            int exit = Main.execute("run", "--variant", "merged", "--select", "crashprobe.flaky_panic", "--confirm", "3",
                    "--results-dir", results.toString());
            json = new ObjectMapper().readTree(results.resolve("results.json").toFile());
            if (exit == ExitCode.KERNEL_CRASH.code) {
                break;
            }
            assertThat(exit).as("a pass on an even serial").isZero();
        }
        JsonNode c = json.path("confirmations").get(0);
        assertThat(c.path("test").asText()).isEqualTo("crashprobe.flaky_panic");
        assertThat(c.path("kind").asText()).isEqualTo("crash");
        assertThat(c.path("runs").asInt()).isEqualTo(3);
        assertThat(c.path("reproduced").asInt()).isEqualTo(1);
        assertThat(c.path("label").asText()).isEqualTo("flaky 1/3");
        assertThat(Files.readString(results.resolve("summary.txt")))
                .contains("confirmation (the test alone in fresh VMs): flaky 1/3");
        assertThat(Processes.qemuChildren()).isEmpty();
    }
}
