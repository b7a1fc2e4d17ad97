package hmmtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import hmmtest.cli.Main;
import hmmtest.infra.ExitCode;
import hmmtest.it.Kernels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * `validate --base baseline --series <seed page>` for real, then every report it wrote read by a
 * parser that is not ours: the KTAP by the kernel's kunit_parser.py, the JUnit XML by the JDK's
 * DOM parser, the HTML by headless Chromium (a screenshot is kept in target/report-artifacts/).
 */
class ValidateIT {
    static final String SELECT = "hmm.hmm_device_private.open_close,hmm.hmm_device_private.anon_read,"
            + "hmm.hmm_device_private.exclusive*";
    static final String TITLE = "BUG: kernel NULL pointer dereference in make_device_exclusive";

    @Test
    void theSeedSeriesCrashesThePatchedKernelAndEveryReportSaysSo() throws Exception {
        assumeTrue(Kernels.haveSeed(), "the seed page is not at " + Kernels.SEED);
        Path out = Path.of("target/it-results/validate-seed").toAbsolutePath();
        // Documentation/ excluded as seed-v1 does: the same build inputs, so SeedV1IT's kernel is reused.
        int exit = Main.execute("validate", "--base", "baseline", "--series", Kernels.SEED.toString(), "--exclude",
                "Documentation/*", "--select", SELECT, "--fuzz-seconds", "20", "--out", out.toString());
        assertThat(exit).as("validate exit code").isEqualTo(ExitCode.KERNEL_CRASH.code);

        String summary = Files.readString(out.resolve(ReportWriter.TEXT));
        assertThat(summary).contains("CRASH_IN_PATCHED").contains(TITLE)
                .contains("RIP: 0010:make_device_exclusive")
                .containsPattern("\\| >> hmm\\.hmm_device_private\\.exclusive +\\| PASS +\\| CRASHED +\\|")
                .containsPattern("\\| >> hmm\\.hmm_device_private\\.exclusive_mprotect +\\| PASS +\\| CRASHED +\\|")
                .contains("mm/rmap: convert make_device_exclusive_range() to make_device_exclusive()");

        // KTAP: one nested block per kernel, as the kernel's own parser reads it.
        for (Path kunit : KunitParser.kunitDirs()) {
            JsonNode top = KunitParser.parse(kunit, out.resolve(ReportWriter.KTAP));
            assertThat(top.path("counts").path("errors").asInt()).as("kunit_parser errors").isZero();
            JsonNode base = top.path("subtests").get(0);
            JsonNode patched = top.path("subtests").get(1);
            assertThat(base.path("name").asText()).isEqualTo("base");
            assertThat(patched.path("name").asText()).isEqualTo("patched");
            assertThat(status(base).get("hmm.hmm_device_private.exclusive")).isEqualTo("SUCCESS");
            assertThat(status(patched).get("hmm.hmm_device_private.exclusive")).isEqualTo("FAILURE");
            assertThat(status(patched).get("hmm.hmm_device_private.open_close")).isEqualTo("SUCCESS");
        }

        // JUnit XML: one file per kernel run; the crashed test carries a failure or an error, only there.
        Map<String, Element> base = testcases(out.resolve("junit/TEST-hmmtest-base.xml"));
        Map<String, Element> patched = testcases(out.resolve("junit/TEST-hmmtest-patched.xml"));
        Element crashed = testcase(patched, "patched.hmm.hmm_device_private.exclusive");
        assertThat(failed(crashed)).as("patched exclusive").isTrue();
        assertThat(crashed.getTextContent()).contains(TITLE);
        assertThat(failed(testcase(base, "base.hmm.hmm_device_private.exclusive"))).as("base exclusive").isFalse();
        assertThat(failed(testcase(patched, "patched.hmm.hmm_device_private.open_close"))).as("patched open_close")
                .isFalse();

        // HTML: the matrix renders in a browser, the crash is there to expand; keep a picture.
        String dom = HtmlReportBrowserTest.chromium("--dump-dom", out.resolve(ReportWriter.HTML).toUri().toString());
        assertThat(dom).contains("<table id=\"matrix\">").contains("<details class=\"crash\">").contains(TITLE);
        Path png = HtmlReportBrowserTest.ARTIFACTS.resolve("validate-seed.png");
        Files.createDirectories(png.getParent());
        Files.deleteIfExists(png);
        HtmlReportBrowserTest.chromium("--screenshot=" + png, "--window-size=1400,1000",
                out.resolve(ReportWriter.HTML).toUri().toString());
        assertThat(Files.size(png)).isGreaterThan(10_000);

        JsonNode json = Json.MAPPER.readTree(out.resolve(ReportWriter.JSON).toFile());
        assertThat(json.toString()).contains(TITLE);
    }

    private static Map<String, String> status(JsonNode run) {
        Map<String, String> m = new HashMap<>();
        run.path("subtests").forEach(t -> m.put(t.path("name").asText(), t.path("status").asText()));
        return m;
    }

    /** classname.name of every testcase in the file, with its element. */
    private static Map<String, Element> testcases(Path xml) throws Exception {
        assertThat(xml).isRegularFile();
        NodeList cases = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile())
                .getElementsByTagName("testcase");
        Map<String, Element> m = new HashMap<>();
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            m.put(c.getAttribute("classname") + "." + c.getAttribute("name"), c);
        }
        assertThat(m).as(xml + " testcases").isNotEmpty();
        return m;
    }

    private static Element testcase(Map<String, Element> cases, String id) {
        assertThat(cases).as("testcases").containsKey(id);
        return cases.get(id);
    }

    private static boolean failed(Element testcase) {
        return Stream.of("failure", "error").anyMatch(t -> testcase.getElementsByTagName(t).getLength() > 0);
    }
}
