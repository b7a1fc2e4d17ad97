package hmmtest.report;

import hmmtest.infra.Hashing;
import hmmtest.results.TestOutcome;
import hmmtest.results.TestStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The runs as KCIDB I/O v5.3 (KernelCI's common database): one checkout per base and series, one
 * build per kernel, one test per test id (path {@code hmmtest.<id>}), and each distinct crash title
 * an issue with an incident on every test it crashed. Validated by KernelCI's own kcidb-io in
 * KcidbWriterTest.
 *
 * <p>Status mapping: PASS and SKIP as they are; FAIL and CRASHED are FAIL (the code was found
 * faulty); ERROR is ERROR; NOT_RUN is MISS (the harness could not run it).
 */
public final class KcidbWriter {
    public static final String ORIGIN = "hmmtest";
    /** KCIDB log excerpts are meant to be short: the part most relevant to the outcome. */
    static final int EXCERPT_LIMIT = 16 * 1024;

    private KcidbWriter() {}

    public static Map<String, Object> of(RunSet set) {
        List<Object> checkouts = new ArrayList<>();
        List<Object> builds = new ArrayList<>();
        List<Object> tests = new ArrayList<>();
        Map<String, Map<String, Object>> issues = new LinkedHashMap<>();
        List<Object> incidents = new ArrayList<>();
        String started = set.startedAt() == null ? null : set.startedAt().toString();
        for (int i = 0; i < set.runs().size(); i++) {
            RunReport run = set.runs().get(i);
            String label = set.label(i);
            KernelManifest m = run.manifest();
            String checkoutId = id(sha("checkout", m.source().toString(), patchsetHash(m)));
            if (checkouts.stream().noneMatch(c -> ((Map<?, ?>) c).get("id").equals(checkoutId))) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("id", checkoutId);
                c.put("origin", ORIGIN);
                c.put("tree_name", treeName(m));
                if (!m.series().isEmpty()) {
                    c.put("patchset_hash", patchsetHash(m));
                }
                c.put("valid", true);
                if (started != null) {
                    c.put("start_time", started);
                }
                c.put("comment", m.describeSource() + (m.series().isEmpty() ? "" : " + " + m.series().size() + " patch(es)"));
                c.put("misc", Map.of("base", m.source(), "patches", m.series().stream().map(KernelManifest.Patch::title).toList()));
                checkouts.add(c);
            }
            String buildId = id(sha("build", checkoutId, m.configSha256(), run.kernelBuild(), label));
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("id", buildId);
            b.put("checkout_id", checkoutId);
            b.put("origin", ORIGIN);
            b.put("architecture", "x86_64");
            if (!m.compiler().isEmpty()) {
                b.put("compiler", m.compiler());
            }
            b.put("config_name", "tinyconfig+" + String.join("+", profiles(m)));
            if (m.buildSeconds() > 0) {
                b.put("duration", m.buildSeconds());
            }
            b.put("status", run.kernelRelease().isEmpty() && run.tests().isEmpty() ? "MISS" : "PASS");
            b.put("misc", Map.of("label", label, "kernel_release", run.kernelRelease(), "config_sha256", m.configSha256()));
            builds.add(b);
            for (TestOutcome o : run.outcomes()) {
                String testId = id(label + ":" + o.id());
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("id", testId);
                t.put("build_id", buildId);
                t.put("origin", ORIGIN);
                t.put("path", path(o.id()));
                t.put("status", status(o.status()));
                t.put("duration", o.millis() / 1000.0);
                if (run.startedAt() != null) {
                    t.put("start_time", run.startedAt());
                }
                t.put("environment", Map.of("comment", "QEMU " + (run.accelerator().isEmpty() ? "" : run.accelerator() + " ")
                        + "x86_64 guest, " + run.kernelRelease()));
                List<RunReport.Crash> crashes = run.crashesOf(o.id());
                String excerpt = !crashes.isEmpty() ? crashes.get(0).title() + "\n" + String.join("\n", crashes.get(0).excerpt())
                        : o.status().bad() ? o.message() : "";
                if (!excerpt.isEmpty()) {
                    t.put("log_excerpt", excerpt.length() > EXCERPT_LIMIT ? excerpt.substring(0, EXCERPT_LIMIT) : excerpt);
                }
                Map<String, Object> misc = new LinkedHashMap<>();
                misc.put("hmmtest_status", o.status().name());
                run.confirmation(o.id()).ifPresent(k -> misc.put("confirmation", k.describe()));
                t.put("misc", misc);
                tests.add(t);
                for (RunReport.Crash c : crashes) {
                    String issueId = id(sha("issue", c.title()));
                    issues.computeIfAbsent(issueId, k -> {
                        Map<String, Object> is = new LinkedHashMap<>();
                        is.put("id", issueId);
                        is.put("version", 1);
                        is.put("origin", ORIGIN);
                        is.put("report_subject", c.title());
                        is.put("culprit", Map.of("code", true, "harness", false, "tool", false));
                        is.put("comment", c.kind() + (c.excerpt().isEmpty() ? "" : ": " + c.excerpt().get(0)));
                        return is;
                    });
                    Map<String, Object> inc = new LinkedHashMap<>();
                    inc.put("id", id(sha("incident", testId, issueId, String.valueOf(c.vm()))));
                    inc.put("origin", ORIGIN);
                    inc.put("issue_id", issueId);
                    inc.put("issue_version", 1);
                    inc.put("test_id", testId);
                    inc.put("build_id", buildId);
                    inc.put("present", true);
                    run.confirmation(o.id()).ifPresent(k -> inc.put("comment", k.describe()));
                    incidents.add(inc);
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", Map.of("major", 5, "minor", 3));
        out.put("checkouts", checkouts);
        out.put("builds", builds);
        out.put("tests", tests);
        out.put("issues", new ArrayList<>(issues.values()));
        out.put("incidents", incidents);
        return out;
    }

    static String status(TestStatus s) {
        return switch (s) {
            case PASS -> "PASS";
            case SKIP -> "SKIP";
            case FAIL, CRASHED -> "FAIL";
            case ERROR -> "ERROR";
            case NOT_RUN -> "MISS";
        };
    }

    /** hmmtest.hmm.hmm_device_private.anon_read: KCIDB paths allow [A-Za-z0-9_-] between dots. */
    static String path(String testId) {
        StringBuilder sb = new StringBuilder(ORIGIN);
        for (String part : testId.split("\\.")) {
            String clean = part.replaceAll("[^A-Za-z0-9_-]", "_");
            sb.append('.').append(clean.isEmpty() ? "_" : clean);
        }
        return sb.toString();
    }

    /** "origin:rest"; the rest must not hold NUL. */
    static String id(String rest) {
        return ORIGIN + ":" + rest.replace('\0', '_');
    }

    /** KCIDB's patchset hash: sha256 over the newline-terminated sha256 of each patch, in order. */
    static String patchsetHash(KernelManifest m) {
        StringBuilder sb = new StringBuilder();
        m.series().forEach(p -> sb.append(p.sha256()).append('\n'));
        return Hashing.sha256(sb.toString());
    }

    private static String treeName(KernelManifest m) {
        String pkg = m.source().getOrDefault("package", "");
        return pkg.isEmpty() ? "local" : pkg.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "_");
    }

    private static List<String> profiles(KernelManifest m) {
        List<String> p = new ArrayList<>(List.of("hmm"));
        p.addAll(m.profiles());
        return p;
    }

    private static String sha(String... parts) {
        return Hashing.sha256(String.join("\n", parts)).substring(0, 16);
    }
}
