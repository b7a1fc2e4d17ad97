package hmmtest.report;

import hmmtest.results.TestOutcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.junit.platform.engine.TestEngine;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * JUnit XML for CI (Jenkins, GitLab): one {@code TEST-hmmtest-<variant>.xml} per run, written by
 * the JUnit Platform's legacy XML listener while {@link ReplayEngine} replays the run. Two things
 * the listener cannot know are put right afterwards: durations (it times the replay, so we write
 * the guest's own) and the {@code <properties>} (it lists this JVM's system properties; the
 * kernel's facts are what a reader of a test report wants there).
 */
public final class JunitXmlWriter {
    private JunitXmlWriter() {}

    public static List<Path> write(RunSet set, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<TestEngine> engines = new ArrayList<>();
        Map<String, Integer> runOfEngine = new LinkedHashMap<>();
        Set<String> used = new HashSet<>();
        for (int i = 0; i < set.runs().size(); i++) {
            String id = "hmmtest-" + set.label(i).replaceAll("[^A-Za-z0-9._-]", "_");
            if (!used.add(id)) {
                id = id + "-" + (i + 1);
                used.add(id);
            }
            engines.add(new ReplayEngine(id, set.label(i), set.runs().get(i)));
            runOfEngine.put(id, i);
        }
        StringWriter errors = new StringWriter();
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestEngineAutoRegistration(false)
                .enableTestExecutionListenerAutoRegistration(false)
                .enableLauncherDiscoveryListenerAutoRegistration(false)
                .enableLauncherSessionListenerAutoRegistration(false)
                .enablePostDiscoveryFilterAutoRegistration(false)
                .addTestEngines(engines.toArray(TestEngine[]::new))
                .build());
        launcher.execute(LauncherDiscoveryRequestBuilder.request().build(),
                new LegacyXmlReportGeneratingListener(dir, new PrintWriter(errors)));
        if (!errors.toString().isBlank()) {
            throw new IOException("JUnit XML report failed: " + errors);
        }
        List<Path> files = new ArrayList<>();
        for (var e : runOfEngine.entrySet()) {
            Path file = dir.resolve("TEST-" + e.getKey() + ".xml");
            if (!Files.isRegularFile(file)) {
                throw new IOException("the JUnit Platform wrote no " + file);
            }
            amend(file, set.runs().get(e.getValue()), set.label(e.getValue()));
            files.add(file);
        }
        return files;
    }

    /** Puts the guest's durations and the kernel's facts into the listener's XML. */
    private static void amend(Path file, RunReport run, String label) throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = f.newDocumentBuilder().parse(file.toFile());
            Element suite = doc.getDocumentElement();
            Map<String, Long> millis = new HashMap<>();
            Map<String, Integer> order = new HashMap<>();
            for (TestOutcome o : run.outcomes()) {
                int dot = o.id().lastIndexOf('.');
                String key = label + "." + (dot < 0 ? "tests" : o.id().substring(0, dot)) + "\u0000"
                        + o.id().substring(dot + 1);
                millis.put(key, o.millis());
                order.put(key, order.size());
            }
            long total = 0;
            List<Element> cases = elements(suite.getElementsByTagName("testcase"));
            for (Element c : cases) {
                long ms = Math.max(0, millis.getOrDefault(key(c), 0L));
                total += ms;
                c.setAttribute("time", seconds(ms));
                mergeOutput(c);
            }
            suite.setAttribute("time", seconds(total));
            // The listener lists tests in hash order; the plan's order is the one people know.
            cases.sort(java.util.Comparator.comparing(c -> order.getOrDefault(key(c), Integer.MAX_VALUE)));
            Node after = cases.isEmpty() ? null : cases.get(cases.size() - 1).getNextSibling();
            cases.forEach(suite::removeChild);
            cases.forEach(c -> suite.insertBefore(c, after));
            NodeList props = suite.getElementsByTagName("properties");
            Element properties = props.getLength() > 0 ? (Element) props.item(0) : null;
            if (properties != null) {
                while (properties.hasChildNodes()) {
                    properties.removeChild(properties.getFirstChild());
                }
                properties(run, label).forEach((k, v) -> {
                    Element p = doc.createElement("property");
                    p.setAttribute("name", k);
                    p.setAttribute("value", v);
                    properties.appendChild(p);
                });
            }
            var t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            stripWhitespace(suite);
            t.transform(new DOMSource(doc), new StreamResult(file.toFile()));
        } catch (Exception e) {
            throw new IOException("could not amend " + file + ": " + e.getMessage(), e);
        }
    }

    private static String key(Element testcase) {
        return testcase.getAttribute("classname") + "\u0000" + testcase.getAttribute("name");
    }

    private static List<Element> elements(NodeList nodes) {
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    /** One {@code <system-out>} per test case, without the empty ones: not every CI reads several. */
    private static void mergeOutput(Element testcase) {
        List<Element> outs = elements(testcase.getElementsByTagName("system-out"));
        StringBuilder text = new StringBuilder();
        for (Element o : outs) {
            if (!o.getTextContent().isBlank()) {
                text.append(o.getTextContent().strip()).append('\n');
            }
            testcase.removeChild(o);
        }
        if (text.length() > 0) {
            Element merged = testcase.getOwnerDocument().createElement("system-out");
            merged.appendChild(testcase.getOwnerDocument().createCDATASection(text.toString()));
            testcase.appendChild(merged);
        }
    }

    private static Map<String, String> properties(RunReport run, String label) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("hmmtest.variant", label);
        p.put("hmmtest.kernelRelease", run.kernelRelease());
        p.put("hmmtest.source", run.manifest().describeSource());
        p.put("hmmtest.patches", String.valueOf(run.manifest().series().size()));
        p.put("hmmtest.configSha256", run.manifest().configSha256());
        p.put("hmmtest.compiler", run.manifest().compiler());
        p.put("hmmtest.accelerator", run.accelerator());
        p.put("hmmtest.vms", String.valueOf(run.vms().size()));
        p.put("hmmtest.resultsDir", run.dir().toString());
        if (run.incomplete() != null) {
            p.put("hmmtest.incomplete", run.incomplete());
        }
        p.values().removeIf(String::isEmpty);
        return p;
    }

    /** The listener's own line breaks would double up with the transformer's indentation. */
    private static void stripWhitespace(Node n) {
        NodeList kids = n.getChildNodes();
        for (int i = kids.getLength() - 1; i >= 0; i--) {
            Node k = kids.item(i);
            if (k.getNodeType() == Node.TEXT_NODE && k.getTextContent().isBlank()) {
                n.removeChild(k);
            } else if (k.getNodeType() == Node.ELEMENT_NODE) {
                stripWhitespace(k);
            }
        }
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }
}
