package hmmtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    @Test
    void matrixCrashesPhasesAgreementAndFuzzFigures() {
        String html = HtmlReport.render(Fixtures.withBase("base", "patched", "fuzz"), Fixtures.REPRODUCE);
        assertThat(html).startsWith("<!DOCTYPE html>")
                .contains("<span class=\"verdict CRASH_IN_PATCHED\">")
                .contains("<table id=\"matrix\">")
                .contains("<th>base (base)</th><th>patched</th><th>patched-fuzz</th>")
                .contains("<td class=\"v-CRASHED new\" title=\"BUG: kernel NULL pointer dereference in"
                        + " make_device_exclusive\"><span class=\"mark\">&gt;&gt; </span>CRASHED</td>")
                .contains("<details class=\"crash\"><summary><b>NEW</b> patched, VM 1,"
                        + " hmm.hmm_device_private.exclusive: BUG: kernel NULL pointer dereference in"
                        + " make_device_exclusive</summary>")
                .contains("RIP: 0010:make_device_exclusive+0x131/0x146")
                .contains("<table id=\"phases\">").contains("<td>0.93 / 2.43</td>")
                .contains("upstream hmm-tests vs ours: 5 tests, 4 agree, 1 disagree")
                .contains("<tr><th>seed</th><td class=\"mono\">0x5eed1234</td></tr>")
                .contains("<td class=\"mono\">system page &lt;after exclusive&gt;</td>")
                .contains("<pre id=\"reproduce\">" + Fixtures.REPRODUCE + "</pre>");
        // Self-contained: nothing to fetch.
        assertThat(html).doesNotContainPattern(Pattern.compile("(src|href)=\"(https?:)?//"))
                .doesNotContain("<link").doesNotContain("@import");
    }

    @Test
    void consoleTextIsEscapedEverywhere(@TempDir Path dir) throws Exception {
        ObjectNode r = (ObjectNode) Json.MAPPER.readTree(Fixtures.dir("patched").resolve("results.json").toFile());
        ObjectNode crash = (ObjectNode) r.withArray("crashes").get(0);
        crash.put("title", "BUG: <script>alert(1)</script> in \"x\" & 'y'");
        ((ArrayNode) crash.withArray("excerpt")).add("</pre><img src=x onerror=alert(2)>");
        ((ObjectNode) r.withArray("tests").get(3)).put("message", "\"><b>bold</b>");
        r.put("variant", "<i>v</i>");
        Json.MAPPER.writeValue(dir.resolve("results.json").toFile(), r);
        String html = HtmlReport.render(RunSet.of(List.of(Fixtures.run("base"), RunReport.read(dir)),
                Optional.of(0)), "make <target> && echo \"done\"");

        assertThat(html).doesNotContain("<script>alert").doesNotContain("<img").doesNotContain("<b>bold")
                .doesNotContain("<i>v</i>")
                .contains("BUG: &lt;script&gt;alert(1)&lt;/script&gt; in &quot;x&quot; &amp; &#39;y&#39;")
                .contains("&lt;/pre&gt;&lt;img src=x onerror=alert(2)&gt;")
                .contains("title=\"&quot;&gt;&lt;b&gt;bold&lt;/b&gt;\"")
                .contains("make &lt;target&gt; &amp;&amp; echo &quot;done&quot;");
        assertThat(Pattern.compile("<script>").matcher(html).results().count()).as("only our own script").isOne();
    }
}
