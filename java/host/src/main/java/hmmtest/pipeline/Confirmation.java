package hmmtest.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hmmtest.infra.Progress;
import hmmtest.results.TestOutcome;
import hmmtest.results.TestStatus;
import hmmtest.session.CrashRecord;
import hmmtest.session.SessionResults;
import hmmtest.session.SuiteSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A crash or a failure counts once it comes back: each crashed or failed test runs again, alone,
 * in fresh VMs (restored from the warm snapshot: seconds each), and is labelled by how often it
 * reproduced: <em>reproducible k/N</em> (every time), <em>flaky k/N</em>, or <em>not reproduced
 * 0/N</em> for a crash; <em>deterministic</em>, <em>flaky</em> or <em>passed on rerun</em> for a
 * failure. {@code validate} also reruns a patched kernel's crash on the base kernel: <em>also on
 * base</em> (not the series' fault) or <em>patched only</em>.
 *
 * <p>"Alone" is the honest limit: a crash that needs an earlier test's state does not come back
 * alone, and is labelled not reproduced rather than guessed at.
 */
public final class Confirmation {
    /** How many distinct tests are confirmed per run: the budget in VMs is this times the runs. */
    public static final int MAX_TESTS = 5;

    private Confirmation() {}

    /** One test's reruns on one kernel. {@code reproduced}: runs that crashed with the same title, or failed again. */
    public record Count(String test, String kind, String title, int runs, int reproduced, List<String> otherTitles,
            int notRun, double seconds) {
        public static final String CRASH = "crash";
        public static final String FAILURE = "failure";

        public String label() {
            String n = reproduced + "/" + runs;
            if (runs == 0) {
                return "not confirmed (no rerun finished)";
            }
            if (kind.equals(CRASH)) {
                return reproduced == runs ? "reproducible " + n : reproduced > 0 ? "flaky " + n : "not reproduced " + n;
            }
            return reproduced == runs ? "deterministic " + n : reproduced > 0 ? "flaky " + n : "passed on rerun " + n;
        }

        /** On the base kernel: does the patched kernel's crash happen there too? */
        public String baseLabel() {
            return reproduced > 0 ? "also on base " + reproduced + "/" + runs : "patched only (0/" + runs + " on base)";
        }
    }

    /** Crashed tests first (in crash order), then failed ones; each once, at most {@link #MAX_TESTS}. */
    public static List<Count> confirmAll(SuiteSession.Config config, SessionResults r, int runs, Path dir) {
        List<Count> out = new ArrayList<>();
        if (runs <= 0) {
            return out;
        }
        Set<String> done = new LinkedHashSet<>();
        for (CrashRecord c : r.crashes()) {
            if (c.test() != null && done.size() < MAX_TESTS && done.add(c.test())) {
                out.add(rerun(config, c.test(), Count.CRASH, c.title(), runs, dir));
            }
        }
        for (TestOutcome o : r.tests()) {
            if ((o.status() == TestStatus.FAIL || o.status() == TestStatus.ERROR) && done.size() < MAX_TESTS
                    && done.add(o.id())) {
                out.add(rerun(config, o.id(), Count.FAILURE, o.message().lines().findFirst().orElse(""), runs, dir));
            }
        }
        return out;
    }

    /** Runs {@code test} alone {@code runs} times, each in a fresh VM, under {@code dir}/confirm. */
    public static Count rerun(SuiteSession.Config config, String test, String kind, String title, int runs, Path dir) {
        long t0 = System.nanoTime();
        int finished = 0;
        int reproduced = 0;
        int notRun = 0;
        List<String> others = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            Path runDir = dir.resolve("confirm").resolve(safe(test) + "-" + i);
            SuiteSession.Config c = new SuiteSession.Config(config.machine(), test, config.timeouts(), runDir, false,
                    config.known(), config.vms(), config.dumpGrace());
            SessionResults rr = new SuiteSession(c).run();
            TestOutcome o = rr.tests().stream().filter(t -> t.id().equals(test)).findFirst().orElse(null);
            if (o == null || o.status() == TestStatus.NOT_RUN) {
                notRun++; // an infrastructure event, or the VM did not come up: not a verdict either way
                continue;
            }
            finished++;
            if (kind.equals(Count.CRASH)) {
                String seen = rr.crashes().stream().filter(x -> test.equals(x.test())).map(CrashRecord::title).findFirst()
                        .orElse(null);
                if (seen != null && seen.equals(title)) {
                    reproduced++;
                } else if (seen != null) {
                    others.add(seen);
                }
            } else if (o.status() == TestStatus.FAIL || o.status() == TestStatus.ERROR) {
                reproduced++;
            }
        }
        Count count = new Count(test, kind, title, finished, reproduced, List.copyOf(others), notRun,
                (System.nanoTime() - t0) / 1e9);
        Progress.info("confirm", String.format(Locale.ROOT, "%s %s: %s in %.1f s%s", kind, test, count.label(),
                count.seconds(), others.isEmpty() ? "" : "; other crashes: " + others));
        return count;
    }

    private static String safe(String test) {
        return test.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    /**
     * Adds the counts to {@code results.json} under {@code confirmations} (on the base kernel:
     * {@code base} of the matching entry), for the reports to read.
     */
    public static void addToResults(Path resultsJson, List<Count> counts, boolean onBase) throws IOException {
        if (counts.isEmpty() || !Files.isRegularFile(resultsJson)) {
            return;
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = (ObjectNode) json.readTree(resultsJson.toFile());
        ArrayNode list = root.has("confirmations") ? (ArrayNode) root.get("confirmations") : root.putArray("confirmations");
        for (Count c : counts) {
            ObjectNode entry = null;
            for (var e : list) {
                if (e.path("test").asText().equals(c.test()) && e.path("kind").asText().equals(c.kind())) {
                    entry = (ObjectNode) e;
                }
            }
            if (entry == null) {
                entry = list.addObject().put("test", c.test()).put("kind", c.kind()).put("title", c.title());
            }
            ObjectNode target = onBase ? entry.putObject("base") : entry;
            target.put("runs", c.runs()).put("reproduced", c.reproduced()).put("notRun", c.notRun())
                    .put("seconds", Math.round(c.seconds() * 10) / 10.0)
                    .put("label", onBase ? c.baseLabel() : c.label());
            ArrayNode others = target.putArray("otherTitles");
            c.otherTitles().forEach(others::add);
        }
        Path tmp = resultsJson.resolveSibling(resultsJson.getFileName() + ".tmp");
        json.writeValue(tmp.toFile(), root);
        Files.move(tmp, resultsJson, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
