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
                "summary.txt", "report.html", "summary.json");
        assertThat(r.files()).allSatisfy(f -> assertThat(Files.size(f)).isPositive());
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
