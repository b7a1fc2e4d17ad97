package hmmtest.report;

import hmmtest.results.TestOutcome;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * JUnit XML for CI (Jenkins, GitLab): one {@code TEST-hmmtest-<variant>.xml} per run in the
 * Surefire test-report dialect (valid against its XSD, checked in JunitXmlWriterTest), written
 * directly with StAX from the run's recorded verdicts and the guest's own durations.
 *
 * <p>A test case is {@code classname="<run>.<group>" name="<test>"}, so CI keeps two kernels'
 * tests apart. FAIL and CRASHED are {@code <failure>} (the kernel did something wrong); ERROR and
 * NOT_RUN are {@code <error>} (the test could not be carried out: NOT_RUN is deliberately not
 * {@code <skipped>}, which CI counts as fine, when a test that should have run did not). A crash
 * between tests and an incomplete session are test cases of their own (group {@code session}),
 * so CI does not miss them. The kernel's facts go into {@code <properties>}.
 */
public final class JunitXmlWriter {
    private static final String TYPE = "hmmtest.";

    private JunitXmlWriter() {}

    public static List<Path> write(RunSet set, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (int i = 0; i < set.runs().size(); i++) {
            String id = "hmmtest-" + set.label(i).replaceAll("[^A-Za-z0-9._-]", "_");
            if (!used.add(id)) {
                id = id + "-" + (i + 1);
                used.add(id);
            }
            Path file = dir.resolve("TEST-" + id + ".xml");
            Path tmp = dir.resolve(file.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writeSuite(set.runs().get(i), set.label(i), out);
            } catch (XMLStreamException e) {
                throw new IOException("could not write " + file + ": " + e.getMessage(), e);
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            files.add(file);
        }
        return files;
    }

    /** One test case as CI sees it. {@code verdict}: null (passed), "failure", "error" or "skipped". */
    private record Case(String group, String name, long millis, String verdict, String type, String message,
            String text, String output) {}

    private static List<Case> cases(RunReport run) {
        List<Case> cases = new ArrayList<>();
        for (TestOutcome o : run.outcomes()) {
            int dot = o.id().lastIndexOf('.');
            String group = dot < 0 ? "tests" : o.id().substring(0, dot);
            String name = o.id().substring(dot + 1);
            long ms = Math.max(0, o.millis());
            String msg = o.message() == null ? "" : o.message();
            cases.add(switch (o.status()) {
                case PASS -> new Case(group, name, ms, null, null, null, null, null);
                case SKIP -> {
                    String why = msg.isBlank() ? "skipped" : msg;
                    yield new Case(group, name, ms, "skipped", null, why, why, null);
                }
                case FAIL -> new Case(group, name, ms, "failure", TYPE + "TestFailure", msg, msg, null);
                case ERROR -> new Case(group, name, ms, "error", TYPE + "TestError", msg, msg, null);
                case NOT_RUN -> new Case(group, name, ms, "error", TYPE + "NotRun", msg, "not run: " + msg, null);
                case CRASHED -> {
                    List<RunReport.Crash> crashes = run.crashesOf(o.id());
                    yield crashes.isEmpty() ? new Case(group, name, ms, "failure", TYPE + "KernelCrash", msg, msg, null)
                            : crash(group, name, ms, crashes.get(0), run);
                }
            });
        }
        int n = 0;
        for (RunReport.Crash c : run.crashes()) {
            if (c.test() == null) {
                cases.add(crash("session", "crash_between_tests_" + (++n), 0, c, run));
            }
        }
        if (run.incomplete() != null) {
            cases.add(new Case("session", "complete", 0, "error", TYPE + "Incomplete", run.incomplete(),
                    "incomplete: " + run.incomplete(), null));
        }
        return cases;
    }

    /** A kernel report: its title as the message, the excerpt as the text, where to look as output. */
    private static Case crash(String group, String name, long ms, RunReport.Crash c, RunReport run) {
        StringBuilder detail = new StringBuilder(c.title()).append('\n');
        c.excerpt().forEach(l -> detail.append(l).append('\n'));
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "kernel %s in VM %d, %.1f s after it started%s",
                c.kind().isEmpty() ? "crash" : c.kind(), c.vm(), c.secondsIntoVm(),
                c.taint().isEmpty() ? "" : ", taint " + c.taint()));
        out.add("console: " + run.dir().resolve("vm-" + c.vm()).resolve("console.log"));
        if (c.test() != null) {
            run.confirmation(c.test()).ifPresent(k -> out.add("confirmation (the test alone in fresh VMs): " + k.describe()));
        }
        if (!c.taskDump().isEmpty()) {
            out.add("task dump:");
            out.addAll(c.taskDump());
        }
        return new Case(group, name, ms, "failure", TYPE + "KernelCrash", c.title(), detail.toString().strip(),
                String.join("\n", out));
    }

    private static void writeSuite(RunReport run, String label, OutputStream os) throws XMLStreamException {
        List<Case> cases = cases(run);
        long total = cases.stream().mapToLong(Case::millis).sum();
        XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(os, "UTF-8");
        x.writeStartDocument("UTF-8", "1.0");
        x.writeCharacters("\n");
        x.writeStartElement("testsuite");
        x.writeAttribute("version", "3.0");
        x.writeAttribute("name", "hmmtest " + label
                + (run.kernelRelease().isEmpty() ? "" : " (kernel " + run.kernelRelease() + ")"));
        x.writeAttribute("time", seconds(total));
        x.writeAttribute("tests", Integer.toString(cases.size()));
        x.writeAttribute("errors", count(cases, "error"));
        x.writeAttribute("skipped", count(cases, "skipped"));
        x.writeAttribute("failures", count(cases, "failure"));
        x.writeCharacters("\n  ");
        x.writeStartElement("properties");
        for (Map.Entry<String, String> p : properties(run, label).entrySet()) {
            x.writeCharacters("\n    ");
            x.writeEmptyElement("property");
            x.writeAttribute("name", p.getKey());
            x.writeAttribute("value", xmlText(p.getValue()));
        }
        x.writeCharacters("\n  ");
        x.writeEndElement();
        for (Case c : cases) {
            x.writeCharacters("\n  ");
            x.writeStartElement("testcase");
            x.writeAttribute("name", c.name());
            x.writeAttribute("classname", label + "." + c.group());
            x.writeAttribute("time", seconds(c.millis()));
            if (c.verdict() != null) {
                x.writeCharacters("\n    ");
                x.writeStartElement(c.verdict());
                if (c.message() != null) {
                    x.writeAttribute("message", xmlText(c.message()));
                }
                if (c.type() != null) {
                    x.writeAttribute("type", c.type());
                }
                x.writeCharacters(xmlText(c.text()));
                x.writeEndElement();
            }
            if (c.output() != null && !c.output().isBlank()) {
                x.writeCharacters("\n    ");
                x.writeStartElement("system-out");
                x.writeCharacters(xmlText(c.output()));
                x.writeEndElement();
            }
            x.writeCharacters("\n  ");
            x.writeEndElement();
        }
        x.writeCharacters("\n");
        x.writeEndElement();
        x.writeCharacters("\n");
        x.writeEndDocument();
        x.close();
    }

    private static String count(List<Case> cases, String verdict) {
        return Long.toString(cases.stream().filter(c -> verdict.equals(c.verdict())).count());
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
        p.values().removeIf(v -> v == null || v.isEmpty());
        return p;
    }

    /** Kernel consoles carry control characters (escape sequences) that XML 1.0 cannot hold. */
    static String xmlText(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            boolean ok = cp == '\t' || cp == '\n' || cp == '\r' || (cp >= 0x20 && cp <= 0xD7FF)
                    || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
            sb.appendCodePoint(ok ? cp : 0xFFFD);
        });
        return sb.toString();
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }
}
