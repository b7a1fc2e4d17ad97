package hmmtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kcidb.json against KernelCI's own validator (kcidb-io, schema.LATEST = v5.3); never skipped. */
public class KcidbWriterTest {
    static final Path KCIDB_IO = hmmtest.infra.Project.root().resolve("../shared/vendor/kcidb-io").normalize();

    /** kcidb-io's validation of the file: its exit code and output. */
    record Validation(int exit, String output) {}

    static Validation run(Path file) throws Exception {
        assertThat(KCIDB_IO.resolve("kcidb_io")).as("KernelCI's kcidb-io validator at " + KCIDB_IO).isDirectory();
        ProcessBuilder pb = new ProcessBuilder("python3", "-c",
                "import json,sys; from kcidb_io import schema; schema.LATEST.validate(json.load(open(sys.argv[1])))",
                file.toString()).redirectErrorStream(true);
        pb.environment().put("PYTHONPATH", KCIDB_IO.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Validation(p.waitFor(), out);
    }

    /** Runs kcidb-io's validation on the file and fails unless it passes; returns its output. */
    public static String validate(Path file) throws Exception {
        Validation v = run(file);
        assertThat(v.exit()).as("kcidb-io validation of " + file + ":\n" + v.output()).isZero();
        return v.output();
    }

    @Test
    void aValidationWithACrashIsValidKcidbAndTheCrashIsAnIssueWithAnIncident(@TempDir Path dir) throws Exception {
        RunSet set = Fixtures.withBase("base", "patched");
        Path file = dir.resolve("kcidb.json");
        Json.MAPPER.writeValue(file.toFile(), KcidbWriter.of(set));
        validate(file);

        JsonNode k = Json.MAPPER.readTree(file.toFile());
        assertThat(k.path("version").path("major").asInt()).isEqualTo(5);
        assertThat(k.path("builds")).hasSize(2);
        assertThat(k.path("checkouts").size()).isBetween(1, 2);
        JsonNode issue = k.path("issues").get(0);
        assertThat(issue.path("report_subject").asText())
                .isEqualTo("BUG: kernel NULL pointer dereference in make_device_exclusive");
        List<String> incidentTests = new ArrayList<>();
        k.path("incidents").forEach(i -> {
            assertThat(i.path("issue_id").asText()).isEqualTo(issue.path("id").asText());
            incidentTests.add(i.path("test_id").asText());
        });
        assertThat(incidentTests).contains("hmmtest:patched:hmm.hmm_device_private.exclusive");
        JsonNode crashed = null;
        for (JsonNode t : k.path("tests")) {
            if (t.path("id").asText().equals("hmmtest:patched:hmm.hmm_device_private.exclusive")) {
                crashed = t;
            }
        }
        assertThat(crashed).isNotNull();
        assertThat(crashed.path("status").asText()).isEqualTo("FAIL");
        assertThat(crashed.path("path").asText()).isEqualTo("hmmtest.hmm.hmm_device_private.exclusive");
        assertThat(crashed.path("log_excerpt").asText()).contains("RIP: 0010:make_device_exclusive");
    }

    @Test
    void aSingleRunAndACutShortRunAreValidToo(@TempDir Path dir) throws Exception {
        for (String name : List.of("base", "deadline", "cut-short")) {
            Path file = dir.resolve(name + ".json");
            Json.MAPPER.writeValue(file.toFile(), KcidbWriter.of(Fixtures.withoutBase(name)));
            validate(file);
        }
        JsonNode k = Json.MAPPER.readTree(dir.resolve("cut-short.json").toFile());
        k.path("tests").forEach(t -> assertThat(t.path("status").asText()).isIn("MISS", "PASS", "FAIL", "ERROR", "SKIP"));
    }

    @Test
    void theValidatorRejectsWhatKcidbDoesNotAllow(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"),
                "{\"version\":{\"major\":5,\"minor\":3},\"tests\":[{\"id\":\"nocolon\",\"build_id\":\"x:y\",\"origin\":\"hmmtest\"}]}");
        Validation v = run(bad);
        assertThat(v.exit()).as(v.output()).isNotZero();
        assertThat(v.output()).contains("ValidationError");
    }
}
