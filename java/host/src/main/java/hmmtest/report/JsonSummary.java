package hmmtest.report;

import hmmtest.results.TestStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The same facts as the text report, for machines: the verdict and its exit code, per run the
 * kernel, verdict counts and crashes, per test every run's verdict, and the new failures and new
 * crashes. Statuses are spelled as in results.json; a run without a test has null there.
 */
public final class JsonSummary {
    private JsonSummary() {}

    public static Map<String, Object> of(RunSet set) {
        Verdict verdict = set.verdict();
        Map<String, Object> m = hmmtest.infra.Harness.header("hmmtest-summary", set.startedAt());
        m.put("verdict", verdict.name());
        m.put("verdictMeaning", verdict.meaning);
        m.put("exitCode", verdict.exitCode.code);
        m.put("base", set.baseIndex().map(set::label).orElse(null));
        List<Object> runs = new ArrayList<>();
        List<Object> newFailures = new ArrayList<>();
        List<Object> newCrashes = new ArrayList<>();
        for (int i = 0; i < set.runs().size(); i++) {
            runs.add(run(set, i));
            String label = set.label(i);
            set.comparison(i).ifPresent(c -> {
                c.newFailures().forEach(r -> newFailures.add(ordered("run", label, "test", r.test(),
                        "base", r.base(), "patched", r.patched())));
                c.newCrashes().forEach(x -> newCrashes.add(ordered("run", label, "test", x.test(), "vm", x.vm(),
                        "title", x.title(), "confirmation", set.runs().get(set.runs().indexOf(c.patched()))
                                .confirmation(x.test() == null ? "" : x.test()).map(RunReport.Confirmed::describe)
                                .orElse(null))));
            });
        }
        m.put("runs", runs);
        List<Object> tests = new ArrayList<>();
        for (String id : set.testIds()) {
            Map<String, Object> verdicts = new LinkedHashMap<>();
            List<String> newIn = new ArrayList<>();
            for (int i = 0; i < set.runs().size(); i++) {
                verdicts.put(set.label(i), set.runs().get(i).status(id));
                if (set.newFailure(i, id)) {
                    newIn.add(set.label(i));
                }
            }
            tests.add(ordered("id", id, "verdicts", verdicts, "newFailureIn", newIn));
        }
        m.put("tests", tests);
        m.put("newFailures", newFailures);
        m.put("newCrashes", newCrashes);
        m.put("bisection", set.bisection().orElse(null));
        return m;
    }

    private static Map<String, Object> run(RunSet set, int i) {
        RunReport r = set.runs().get(i);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", set.label(i));
        m.put("variant", r.variant());
        m.put("base", set.isBase(i));
        m.put("dir", r.dir().toString());
        m.put("kernelRelease", r.kernelRelease());
        m.put("source", r.manifest().source());
        List<Object> patches = new ArrayList<>();
        r.manifest().series().forEach(p -> patches.add(ordered("index", p.index(), "title", p.title(),
                "author", p.author(), "sha256", p.sha256())));
        m.put("patches", patches);
        m.put("configSha256", r.manifest().configSha256());
        m.put("compiler", r.manifest().compiler());
        m.put("accelerator", r.accelerator());
        m.put("complete", r.complete());
        m.put("incomplete", r.incomplete());
        m.put("problems", r.problems());
        m.put("exitCode", r.exitCode());
        m.put("confirmations", r.confirmations());
        m.put("infrastructure", r.infrastructure());
        Map<String, Long> counts = new LinkedHashMap<>();
        for (TestStatus s : TestStatus.values()) {
            counts.put(s.name(), r.count(s));
        }
        m.put("counts", counts);
        List<RunReport.Crash> fresh = set.comparison(i).map(Comparison::newCrashes).orElse(List.of());
        List<Object> crashes = new ArrayList<>();
        r.crashes().forEach(c -> crashes.add(ordered("test", c.test(), "vm", c.vm(), "kind", c.kind(),
                "title", c.title(), "new", fresh.contains(c))));
        m.put("crashes", crashes);
        m.put("vms", r.vms());
        if (!r.agreement().isEmpty()) {
            m.put("agreement", ordered("tests", r.agreement().size(), "agree",
                    r.agreement().stream().filter(AgreementTable.Row::agree).count()));
        }
        r.fuzz().ifPresent(f -> m.put("fuzz", ordered("seed", f.seed(), "actions", f.actions(),
                "actionsPerSecond", f.actionsPerSecond(), "divergences", f.divergences(),
                "crashes", f.crashes().stream().map(RunReport.Crash::title).toList())));
        return m;
    }

    /** A JSON object with its keys in the given order (Map.of would shuffle them, and refuses nulls). */
    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
