package hmmtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Loads the HTML report in headless Chromium (Debian's {@code chromium}) as a reader would, checks
 * the rendered DOM, and keeps a screenshot in target/report-artifacts/. Skipped, with the reason,
 * where Chromium is not installed.
 */
class HtmlReportBrowserTest {
    static final Path ARTIFACTS = Path.of(System.getProperty("basedir", ".")).resolve("target/report-artifacts");
    static Path html;

    @BeforeAll
    static void writeReports() throws IOException {
        Path out = ARTIFACTS.resolve("reports");
        ReportWriter.writeAll(out, List.of(Fixtures.dir("base"), Fixtures.dir("patched"), Fixtures.dir("fuzz"),
                Fixtures.dir("deadline")), java.util.Optional.of(0), Fixtures.REPRODUCE);
        html = out.resolve(ReportWriter.HTML);
    }

    @Test
    void theBrowserShowsTheMatrixAndTheCrashThatExpands() throws Exception {
        String dom = chromium("--dump-dom", html.toUri().toString());
        assertThat(dom).contains("<table id=\"matrix\">")
                .contains("<details class=\"crash\"><summary><b>NEW</b> patched, VM 1,")
                .contains("RIP: 0010:make_device_exclusive+0x131/0x146")
                .containsPattern("<td class=\"v-NOT_RUN\" title=\"[^\"]+\">NOT_RUN</td>");
        // The parsed matrix has one row per test, one cell per run after the name.
        String body = dom.substring(dom.indexOf("<table id=\"matrix\">"));
        body = body.substring(body.indexOf("<tbody>"), body.indexOf("</tbody>"));
        assertThat(body.split("<tr", -1)).hasSize(1 + 11);
        assertThat(body.split("<tr", -1)[6]).contains("hmm.hmm_device_private.exclusive")
                .contains(">&gt;&gt; </span>CRASHED</td>");
    }

    @Test
    void keepsAScreenshot() throws Exception {
        Path png = ARTIFACTS.resolve("report.png");
        Files.deleteIfExists(png);
        chromium("--screenshot=" + png, "--window-size=1400,1000", html.toUri().toString());
        assertThat(png).isRegularFile();
        byte[] head = Arrays.copyOf(Files.readAllBytes(png), 8);
        assertThat(head).startsWith(0x89, 'P', 'N', 'G');
        assertThat(Files.size(png)).isGreaterThan(10_000); // a blank page is a few KiB
    }

    /** Runs headless Chromium with a fresh profile and no network chatter; returns its stdout. */
    static String chromium(String... args) throws Exception {
        assumeTrue(onPath("chromium"), "chromium is not installed (apt-get install -y chromium)");
        Path profile = Files.createTempDirectory("hmmtest-chromium");
        try {
            List<String> cmd = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile));
            cmd.addAll(List.of(args));
            Path out = profile.resolve("stdout");
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("chromium did not finish in 120 s: " + cmd);
            }
            assertThat(p.exitValue()).as("chromium exit code").isZero();
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            try (Stream<Path> s = Files.walk(profile)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }
}
