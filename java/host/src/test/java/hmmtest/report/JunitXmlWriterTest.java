package hmmtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Reads the JUnit XML back with the JDK's DOM parser, as a CI would, and checks what it counts. */
class JunitXmlWriterTest {

    @Test
    void oneFilePerRunWithCountsNamesAndTheCrash(@TempDir Path dir) throws Exception {
        RunSet set = Fixtures.withBase("base", "patched", "deadline", "cut-short");
        List<Path> files = JunitXmlWriter.write(set, dir);
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("TEST-hmmtest-base.xml",
                "TEST-hmmtest-patched.xml", "TEST-hmmtest-patched-2.xml", "TEST-hmmtest-cut-short.xml");

        Element base = suite(files.get(0));
        assertCounts(base, 11, 0, 0, 1);
        assertThat(testcaseIds(base)).containsExactlyElementsOf(
                set.runs().get(0).outcomes().stream().map(o -> "base." + o.id()).toList());

        Element patched = suite(files.get(1));
        assertCounts(patched, 11, 2, 0, 1);
        assertThat(patched.getAttribute("name")).isEqualTo("hmmtest patched (kernel 7.3.4)");
        assertThat(property(patched, "hmmtest.kernelRelease")).isEqualTo("7.3.4");
        assertThat(property(patched, "hmmtest.patches")).isEqualTo("2");
        Element crash = testcase(patched, "patched.hmm.hmm_device_private", "exclusive");
        Element failure = (Element) crash.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message"))
                .isEqualTo("BUG: kernel NULL pointer dereference in make_device_exclusive");
        assertThat(failure.getAttribute("type")).endsWith("KernelCrash");
        assertThat(failure.getTextContent()).contains("RIP: 0010:make_device_exclusive+0x131/0x146")
                .doesNotContain("\tat "); // no stack of the replay
        assertThat(crash.getElementsByTagName("system-out").getLength()).isEqualTo(1);
        assertThat(crash.getElementsByTagName("system-out").item(0).getTextContent())
                .contains("kernel NULL_DEREF in VM 1").contains("vm-1/console.log");
        assertThat(testcase(patched, "patched.upstream", "hmm_tests").getAttribute("time")).isEqualTo("20.410");
        assertThat(testcase(patched, "patched.hmm.hmm_device_coherent", "anon_read")
                .getElementsByTagName("skipped").item(0).getTextContent()).startsWith("no device coherent memory");

        // NOT_RUN is an error, not a skip: CI must not count a test that never ran as fine.
        Element deadline = suite(files.get(2));
        assertCounts(deadline, 12, 2, 5, 0);
        Element notRun = (Element) testcase(deadline, "patched-2.upstream", "hmm_tests")
                .getElementsByTagName("error").item(0);
        assertThat(notRun.getAttribute("type")).endsWith("NotRun");
        assertThat(notRun.getTextContent()).startsWith("not run: " + RunReport.NO_RESULT);
        assertThat(testcase(deadline, "patched-2.session", "complete").getElementsByTagName("error").item(0)
                .getTextContent()).startsWith("incomplete: VM 3 did not boot");

        Element cutShort = suite(files.get(3));
        assertCounts(cutShort, 1, 0, 1, 0);
        assertThat(property(cutShort, "hmmtest.incomplete")).startsWith("no results.json");
    }

    /** The Surefire test-report schema, the dialect CI systems read (the workplace's reference copy). */
    static final Path SUREFIRE_XSD = hmmtest.infra.Project.root().resolve("../shared/reference/junit/surefire-test-report-3.0.xsd")
            .normalize();

    @Test
    void everyFileIsValidAgainstTheSurefireSchema(@TempDir Path dir) throws Exception {
        assertThat(SUREFIRE_XSD).as("the Surefire XSD (never skipped)").isRegularFile();
        javax.xml.validation.Validator validator = javax.xml.validation.SchemaFactory
                .newInstance(javax.xml.XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(SUREFIRE_XSD.toFile()).newValidator();
        for (Path f : JunitXmlWriter.write(Fixtures.withBase("base", "patched", "deadline", "cut-short"), dir)) {
            validator.validate(new javax.xml.transform.stream.StreamSource(f.toFile()));
        }
    }

    private static Element suite(Path file) throws Exception {
        Element root = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile())
                .getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuite");
        return root;
    }

    private static void assertCounts(Element suite, int tests, int failures, int errors, int skipped) {
        assertThat(List.of(suite.getAttribute("tests"), suite.getAttribute("failures"), suite.getAttribute("errors"),
                suite.getAttribute("skipped"))).as(suite.getAttribute("name") + ": tests, failures, errors, skipped")
                .containsExactly(String.valueOf(tests), String.valueOf(failures), String.valueOf(errors),
                        String.valueOf(skipped));
        NodeList cases = suite.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(tests);
        assertThat(suite.getElementsByTagName("failure").getLength()).isEqualTo(failures);
        assertThat(suite.getElementsByTagName("error").getLength()).isEqualTo(errors);
        assertThat(suite.getElementsByTagName("skipped").getLength()).isEqualTo(skipped);
    }

    private static List<String> testcaseIds(Element suite) {
        List<String> ids = new ArrayList<>();
        NodeList cases = suite.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            ids.add(c.getAttribute("classname") + "." + c.getAttribute("name"));
        }
        return ids;
    }

    private static Element testcase(Element suite, String classname, String name) {
        NodeList cases = suite.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            if (c.getAttribute("classname").equals(classname) && c.getAttribute("name").equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no testcase " + classname + " " + name + " in " + testcaseIds(suite));
    }

    private static String property(Element suite, String name) {
        NodeList props = suite.getElementsByTagName("property");
        for (int i = 0; i < props.getLength(); i++) {
            Element p = (Element) props.item(i);
            if (p.getAttribute("name").equals(name)) {
                return p.getAttribute("value");
            }
        }
        return null;
    }
}
