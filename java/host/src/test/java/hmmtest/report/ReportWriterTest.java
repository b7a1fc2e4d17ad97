package hmmtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    @Test
    void writesEveryReportAndReturnsTheVerdict(@TempDir Path out) throws Exception {
        ReportWriter.Result r = ReportWriter.writeAll(out, List.of(Fixtures.dir("base"), Fixtures.dir("patched"),
                Fixtures.dir("fuzz")), Optional.of(0), Fixtures.REPRODUCE);
        assertThat(r.verdict()).isEqualTo(Verdict.CRASH_IN_PATCHED);
        assertThat(r.files()).extracting(p -> out.relativize(p).toString()).containsExactly("results.ktap",
                "junit/TEST-hmmtest-base.xml", "junit/TEST-hmmtest-patched.xml", "junit/TEST-hmmtest-patched-fuzz.xml",
                "summary.txt", "report.html", "summary.json", "kcidb.json");
        assertThat(r.files()).allSatisfy(f -> assertThat(Files.size(f)).isPositive());
        var summary = Json.MAPPER.readTree(out.resolve(ReportWriter.JSON).toFile());
        assertThat(summary.path("schema").asText()).isEqualTo("hmmtest-summary");
        assertThat(summary.path("schemaVersion").asInt()).isEqualTo(hmmtest.infra.Harness.SCHEMA_VERSION);
        assertThat(summary.path("harness").asText()).startsWith("0.1.0");
        assertThat(summary.fieldNames().next()).as("the kind of document comes first").isEqualTo("schema");
    }

    /** validate's bisect.json reaches every report: text, KTAP comment, HTML and JSON. */
    @Test
    void theBisectionIsNamedInEveryReport(@TempDir Path out) throws Exception {
        new Bisection("FOUND", "prefix 1 passes, prefix 2 fails", List.of("hmm.hmm_device_private.anon_read"), 3, 3, 2,
                "[PATCH 2/3] lib/test_hmm: BROKEN", "hmmtest <hmmtest@localhost>",
                List.of(new Bisection.Step(1, "GOOD", "incremental", 41.5, 3, 3, 0, "passed 3 run(s)", "p1"),
                        new Bisection.Step(2, "BAD", "incremental", 38.0, 3, 1, 1, "run 1: 1 of the tests failed", "p2")))
                .write(out);
        ReportWriter.writeAll(out, List.of(Fixtures.dir("base"), Fixtures.dir("patched")), Optional.of(0), Fixtures.REPRODUCE);
        String headline = "first bad patch: 2/3 [PATCH 2/3] lib/test_hmm: BROKEN (hmmtest <hmmtest@localhost>)";
        assertThat(Files.readString(out.resolve(ReportWriter.TEXT))).contains("Bisection: " + headline)
                .contains("patches 1..2   BAD");
        assertThat(Files.readAllLines(out.resolve(ReportWriter.KTAP))).contains("# bisection: " + headline);
        assertThat(Files.readString(out.resolve(ReportWriter.HTML))).contains("<h2>Bisection</h2>");
        assertThat(Json.MAPPER.readTree(out.resolve(ReportWriter.JSON).toFile()).path("bisection").path("firstBad").asInt())
                .isEqualTo(2);
    }

    /** Runs that never wrote results (cut short, or never started) still give valid reports. */
    @Test
    void partialInputGivesValidReports(@TempDir Path out) throws Exception {
        Path neverStarted = out.resolve("never-started");
        ReportWriter.Result r = ReportWriter.writeAll(out.resolve("reports"),
                List.of(Fixtures.dir("cut-short"), neverStarted), Optional.empty(), Fixtures.REPRODUCE);
        assertThat(r.verdict()).isEqualTo(Verdict.INCOMPLETE);
        assertThat(r.verdict().exitCode.code).isEqualTo(4);

        Path reports = out.resolve("reports");
        assertThat(Files.readAllLines(reports.resolve(ReportWriter.KTAP))).contains("1..2", "  1..0",
                "not ok 2 never-started # ERROR incomplete: no results.json: the run ended before writing its results");
        for (Path xml : r.files().stream().filter(f -> f.toString().endsWith(".xml")).toList()) {
            var suite = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile())
                    .getDocumentElement();
            assertThat(suite.getAttribute("errors")).isEqualTo("1");
        }
        assertThat(Json.MAPPER.readTree(reports.resolve(ReportWriter.JSON).toFile()).path("verdict").asText())
                .isEqualTo("INCOMPLETE");
        assertThat(Files.readString(reports.resolve(ReportWriter.TEXT))).startsWith("hmmtest validation: INCOMPLETE");
        assertThat(Files.readString(reports.resolve(ReportWriter.HTML))).contains("verdict INCOMPLETE")
                .endsWith("</html>\n");
        for (Path kunit : KunitParser.kunitDirs()) {
            assertThat(KunitParser.parse(kunit, reports.resolve(ReportWriter.KTAP)).path("counts").path("errors")
                    .asInt()).isZero();
        }
    }

    @Test
    void aBaseIndexOutsideTheRunsIsRefused(@TempDir Path out) {
        assertThatThrownBy(() -> ReportWriter.writeAll(out, List.of(Fixtures.dir("base")), Optional.of(1), ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base index 1");
    }
}
