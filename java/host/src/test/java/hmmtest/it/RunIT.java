package hmmtest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmmtest.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The whole chain for real: build (or reuse) the merged kernel, build the guest image, boot it
 * under QEMU and run the device suite in the guest JVM. Slow on a cold cache (kernel build).
 */
class RunIT {

    @Test
    void mergedKernelPassesTheUpstreamPortsInTheGuest() throws Exception {
        Path results = Path.of("target/it-results/run-merged").toAbsolutePath();
        int exit = Main.execute("run", "--variant", "merged", "--results-dir", results.toString());
        JsonNode json = new ObjectMapper().readTree(results.resolve("results.json").toFile());

        List<String> passed = new ArrayList<>();
        json.path("tests").forEach(t -> {
            if (t.path("status").asText().equals("PASS")) {
                passed.add(t.path("id").asText());
            }
        });
        assertThat(passed).contains(
                "hmm.hmm_device_private.open_close", "hmm.hmm_device_private.anon_read",
                "hmm.hmm_device_private.anon_write", "hmm.hmm_device_private.anon_write_prot",
                "hmm.hmm_device_private.migrate", "hmm.hmm_device_private.exclusive",
                "hmm.hmm_device_private.exclusive_mprotect");
        assertThat(exit).as("exit code").isZero();
        assertThat(json.path("info").path("kernel").asText()).startsWith("7.");
        assertThat(json.path("info").path("abi").asText()).isEqualTo("V7_3");
        // the image's class-data archive was made with the guest's paths and the guest JVM took it
        assertThat(json.path("info").path("cds").asText()).isEqualTo("on");
        assertThat(json.path("vms").get(0).path("phases").has("first-ioctl")).isTrue();
        assertThat(json.path("crashes")).isEmpty();
        // A restored VM's console starts at the restore; the boot (module load included) is the snapshot's.
        assertThat(Files.readString(results.resolve("vm-1/console-boot.log"))).contains("HMM test module loaded");
        assertThat(Files.readString(results.resolve("vm-1/console.log"))).contains("hmmtest: start ");
    }
}
