package hmmtest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmmtest.cli.Main;
import hmmtest.infra.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The v1 03/12 patch on 6.12 oopses on the first EXCLUSIVE: the exclusive tests must end CRASHED
 * with syzkaller-style title, pinned on themselves, and every other test must pass in fresh VMs.
 */
class SeedV1IT {
    static final Path SEED = Path.of(System.getProperty("hmmtest.home", "."), "../shared/seeds/000_1a6c719d5a68ab02.txt");

    @Test
    void exclusiveTestsCrashWithTheNullDerefTitleAndTheRestPass() throws Exception {
        assertThat(SEED).as("the seed page (an input of these tests)").isRegularFile();
        Path results = Path.of("target/it-results/seed-v1").toAbsolutePath();
        // The tests plus the exclusive ones; the fork-heavy ports are covered by RunIT on merged.
        int exit = Main.execute("run", "--variant", "seed-v1", "--series", SEED.toString(), "--select",
                "hmm.hmm_device_private.open_close,hmm.hmm_device_private.anon_*,hmm.hmm_device_private.migrate,"
                        + "hmm.hmm_device_private.exclusive*", "--results-dir", results.toString());
        JsonNode json = new ObjectMapper().readTree(results.resolve("results.json").toFile());
        Map<String, JsonNode> tests = new HashMap<>();
        json.path("tests").forEach(t -> tests.put(t.path("id").asText(), t));

        assertThat(exit).isEqualTo(ExitCode.KERNEL_CRASH.code);
        for (String crashed : new String[] {"hmm.hmm_device_private.exclusive", "hmm.hmm_device_private.exclusive_mprotect"}) {
            assertThat(tests.get(crashed).path("status").asText()).as(crashed).isEqualTo("CRASHED");
            assertThat(tests.get(crashed).path("message").asText())
                    .isEqualTo("BUG: kernel NULL pointer dereference in make_device_exclusive");
        }
        tests.values().stream()
                .filter(t -> !t.path("id").asText().contains("exclusive"))
                .forEach(t -> assertThat(t.path("status").asText()).as(t.path("id").asText()).isIn("PASS", "SKIP"));
        JsonNode crashes = new ObjectMapper().readTree(results.resolve("crashes.json").toFile()).path("crashes");
        assertThat(crashes.get(0).path("excerpt").toString()).contains("RIP: 0010:make_device_exclusive");
        assertThat(Processes.qemuChildren()).isEmpty();
    }

    /**
     * validate with the seed page on the 6.12 base: the NULL dereference reproduces every time the
     * test runs alone on the patched kernel, never on the base: reproducible and patched only,
     * with the counts in summary.txt and summary.json.
     */
    @Test
    void validateLabelsTheNullDerefReproducibleAndPatchedOnly() throws Exception {
        assertThat(SEED).as("the seed page (an input of these tests)").isRegularFile();
        Path out = Path.of("target/it-results/seed-v1-validate").toAbsolutePath();
        int exit = Main.execute("validate", "--base", "baseline", "--series", SEED.toString(), "--select",
                "hmm.hmm_device_private.open_close,hmm.hmm_device_private.exclusive", "--no-bisect", "--fuzz-seconds", "0", "--confirm", "2",
                "--out", out.toString());
        assertThat(exit).isEqualTo(ExitCode.KERNEL_CRASH.code);
        String label = "reproducible 2/2, patched only (0/2 on base)";
        assertThat(Files.readString(out.resolve("summary.txt")))
                .contains("BUG: kernel NULL pointer dereference in make_device_exclusive")
                .contains("confirmation (the test alone in fresh VMs): " + label);
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.path("newCrashes").get(0).path("confirmation").asText()).isEqualTo(label);
        JsonNode confirmed = summary.path("runs").get(1).path("confirmations").get(0);
        assertThat(confirmed.path("test").asText()).isEqualTo("hmm.hmm_device_private.exclusive");
        assertThat(confirmed.path("runs").asInt()).isEqualTo(2);
        assertThat(confirmed.path("reproduced").asInt()).isEqualTo(2);
        assertThat(confirmed.path("baseRuns").asInt()).isEqualTo(2);
        assertThat(confirmed.path("baseReproduced").asInt()).isZero();
        // the same run for KernelCI: valid KCIDB, the crash an issue with an incident on its test
        hmmtest.report.KcidbWriterTest.validate(out.resolve("kcidb.json"));
        JsonNode kcidb = new ObjectMapper().readTree(out.resolve("kcidb.json").toFile());
        assertThat(kcidb.path("issues").get(0).path("report_subject").asText())
                .isEqualTo("BUG: kernel NULL pointer dereference in make_device_exclusive");
        assertThat(kcidb.path("incidents").get(0).path("test_id").asText())
                .isEqualTo("hmmtest:patched:hmm.hmm_device_private.exclusive");
        assertThat(kcidb.path("incidents").get(0).path("comment").asText()).isEqualTo(label);
        assertThat(Processes.qemuChildren()).isEmpty();
    }
}
