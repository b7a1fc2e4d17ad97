package hmmtest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmmtest.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * COVERAGE=1 end to end on a gcov build of merged (a cold build of its own: make test-all): the
 * suite's counters come back from the guest, lcov and genhtml make the report, and validate names
 * which changed lines of a series of our own the tests executed.
 */
@Tag("test-all")
class CoverageIT {
    static final Path ROOT = Path.of("target/it-results/coverage").toAbsolutePath();

    @Test
    void aCoverageRunReportsTheDriverAndValidateJudgesTheSeriesLines() throws Exception {
        Path run = ROOT.resolve("run");
        int exit = Main.execute("run", "--variant", "merged", "--coverage", "--select", "badargs.*", "--confirm", "0",
                "--results-dir", run.toString());
        assertThat(exit).isZero();
        assertThat(run.resolve("coverage/index.html")).exists();
        JsonNode files = new ObjectMapper().readTree(run.resolve("coverage/coverage.json").toFile()).path("files");
        JsonNode driver = null;
        for (JsonNode f : files) {
            if (f.path("file").asText().equals("lib/test_hmm.c")) {
                driver = f;
            }
        }
        assertThat(driver).as("lib/test_hmm.c in " + files).isNotNull();
        assertThat(driver.path("linesHit").asLong()).isPositive().isLessThan(driver.path("lines").asLong());
        assertThat(driver.path("branches").asLong()).isPositive();

        Path validate = ROOT.resolve("validate");
        Main.execute("validate", "--base", "merged", "--series", Path.of("../../kernel-config/series/cmd-end-helper.patch")
                .toAbsolutePath().normalize().toString(), "--coverage", "--select", "badargs.*", "--fuzz-seconds", "0",
                "--confirm", "0", "--no-bisect", "--out", validate.toString());
        String changed = Files.readString(validate.resolve("patched/coverage/changed-lines.txt"));
        // every ioctl runs the range check the series moved into dmirror_cmd_end(): those lines ran
        assertThat(changed).contains("lib/test_hmm.c: ").contains("changed code lines executed").doesNotContain("WARNING");
        assertThat(Files.readString(validate.resolve("summary.txt"))).contains("coverage of the lines the series changed");
        assertThat(Processes.qemuChildren()).isEmpty();
    }
}
