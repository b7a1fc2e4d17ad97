package hmmtest.report;

import hmmtest.results.RunResults;
import hmmtest.results.TestStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The plain-text report in the manner of the kernel test robot's mails: what was noticed and on
 * which kernel, the base and the patches (subject, author, sha256), a base | patched table with
 * new failures marked {@code >>}, each crash with its console excerpt, boot timings, the upstream
 * agreement, and how to reproduce.
 *
 * <p>No trailers are offered. Reported-by credits whoever told the author about a bug; a local
 * tool run by the author (or by a CI whose identity we do not know) has no one to credit, and
 * inventing a bot address would mislead. Tested-by is a person's statement that they tested the
 * series; a harness result is not that. The report says so, so nobody wonders where they went.
 */
public final class TextSummary {
    private TextSummary() {}

    public static String render(RunSet set, String reproduceCommand) {
        StringBuilder sb = new StringBuilder();
        Verdict verdict = set.verdict();
        sb.append("hmmtest validation: ").append(verdict.name()).append(" (").append(verdict.meaning).append(")\n\n");
        noticed(set, sb);
        bisection(set, sb);
        kernels(set, sb);
        table(set, sb);
        newFailures(set, sb);
        crashes(set, sb);
        infrastructure(set, sb);
        incomplete(set, sb);
        phases(set, sb);
        agreement(set, sb);
        observations(set, sb);
        fuzz(set, sb);
        sb.append("To reproduce:\n\n        ").append(reproduceCommand).append("\n\n");
        sb.append("Trailers: none. Reported-by credits whoever reported a bug to the author, and this is\n"
                + "a local run with no reporter to credit (add your own if this report came to you from\n"
                + "someone); Tested-by is a person's statement, which a harness result is not.\n");
        return sb.toString();
    }

    /** Which patch first broke the new failures, and each prefix tried with its build time. */
    private static void bisection(RunSet set, StringBuilder sb) {
        set.bisection().ifPresent(b -> {
            sb.append("Bisection: ").append(b.headline()).append("\n");
            sb.append("  chased: ").append(String.join(", ", b.tests())).append(" (a prefix is good after ")
                    .append(b.runsPerStep()).append(" clean run(s), bad at its first failure)\n");
            for (Bisection.Step st : b.steps()) {
                sb.append(String.format("  patches 1..%-3d %-5s %s; kernel %s%s%n", st.patches(), st.verdict(), st.detail(),
                        st.build(), st.build().equals("cached") ? ""
                                : String.format(" in %.0f s (%d objects compiled)", st.buildSeconds(), st.objectsCompiled())));
            }
            sb.append('\n');
        });
    }

    /** The robot's opening line: the first new crash title, else how many tests went bad. */
    /**
     * What tests observed (their TestReporter entries), where the runs differ: e.g. the errno
     * EXCLUSIVE answers for THP-backed memory on 6.12 against 7.3, where both verdicts are PASS.
     */
    static void observations(RunSet set, StringBuilder sb) {
        java.util.List<java.util.Map<String, java.util.Map<String, String>>> perRun = new java.util.ArrayList<>();
        java.util.Set<String> keys = new java.util.LinkedHashSet<>();
        for (RunReport run : set.runs()) {
            java.util.Map<String, java.util.Map<String, String>> notes = new java.util.LinkedHashMap<>();
            try {
                com.fasterxml.jackson.databind.JsonNode n = Json.MAPPER.readTree(run.dir().resolve("results.json").toFile())
                        .path("notes");
                n.fields().forEachRemaining(t -> t.getValue().fields().forEachRemaining(kv -> {
                    notes.computeIfAbsent(t.getKey(), k -> new java.util.LinkedHashMap<>()).put(kv.getKey(), kv.getValue().asText());
                    keys.add(t.getKey() + "\u0000" + kv.getKey());
                }));
            } catch (java.io.IOException | RuntimeException e) {
                // no notes in this run
            }
            perRun.add(notes);
        }
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (String key : keys) {
            String[] tk = key.split("\u0000", 2);
            java.util.List<String> values = new java.util.ArrayList<>();
            for (int i = 0; i < perRun.size(); i++) {
                values.add(set.label(i) + ": " + perRun.get(i).getOrDefault(tk[0], java.util.Map.of()).getOrDefault(tk[1], "-"));
            }
            if (set.runs().size() == 1 || values.stream().map(v -> v.substring(v.indexOf(": "))).distinct().count() > 1) {
                lines.add("  " + tk[0] + ": " + tk[1] + "\n      " + String.join("    ", values));
            }
        }
        if (!lines.isEmpty()) {
            sb.append(set.runs().size() == 1 ? "observations:\n" : "observations that differ between runs:\n");
            lines.forEach(l -> sb.append(l).append('\n'));
            sb.append('\n');
        }
    }

    private static void noticed(RunSet set, StringBuilder sb) {
        for (int i : set.patchedIndexes()) {
            Comparison c = set.comparison(i).orElseThrow();
            String what = !c.newCrashes().isEmpty() ? '"' + c.newCrashes().get(0).title() + '"'
                    : !c.newFailures().isEmpty() ? c.newFailures().size() + " new test failure(s)" : null;
            if (what != null) {
                sb.append("hmmtest noticed ").append(what).append(" on ").append(set.label(i)).append(" (kernel ")
                        .append(orUnknown(set.runs().get(i).kernelRelease())).append(")")
                        .append(set.baseIndex().map(b -> ", not seen on " + set.label(b)).orElse("")).append(".\n\n");
            }
        }
    }

    private static void kernels(RunSet set, StringBuilder sb) {
        for (int i = 0; i < set.runs().size(); i++) {
            RunReport r = set.runs().get(i);
            KernelManifest m = r.manifest();
            sb.append(String.format(Locale.ROOT, "%-10s %s%n", (set.isBase(i) ? "base" : "tested") + ":",
                    set.label(i) + ", kernel " + orUnknown(r.kernelRelease())));
            sb.append("           source: ").append(orUnknown(m.describeSource())).append('\n');
            for (KernelManifest.Patch p : m.series()) {
                sb.append("           ").append(p.title()).append('\n');
                sb.append("               Author: ").append(orUnknown(p.author())).append('\n');
                sb.append("               sha256: ").append(orUnknown(p.sha256()));
                String applied = m.applyStatus(p.index());
                sb.append(applied.isEmpty() ? "" : ", applied: " + applied.toLowerCase(Locale.ROOT)).append('\n');
            }
            if (!m.excludes().isEmpty()) {
                sb.append("           excluded: ").append(String.join(", ", m.excludes())).append('\n');
            }
            sb.append("           config sha256: ").append(orUnknown(m.configSha256()))
                    .append(m.profiles().isEmpty() ? "" : " (profiles " + String.join(", ", m.profiles()) + ")")
                    .append('\n');
            sb.append("           compiler: ").append(orUnknown(m.compiler())).append('\n');
            if (r.shard() != null) {
                sb.append("           ").append(r.shard()).append('\n');
            }
            sb.append("           accelerator: ").append(orUnknown(r.accelerator())).append(", results: ")
                    .append(r.dir()).append("\n\n");
        }
    }

    private static void table(RunSet set, StringBuilder sb) {
        List<String> tests = set.testIds();
        int width = Math.max(20, tests.stream().mapToInt(String::length).max().orElse(0) + 3);
        List<Integer> cols = new ArrayList<>();
        for (int i = 0; i < set.runs().size(); i++) {
            cols.add(Math.max(9, set.label(i).length()));
        }
        String rule = rule(width, cols);
        sb.append(rule);
        row(sb, width, cols, "", i -> set.label(i));
        sb.append(rule);
        for (String t : tests) {
            boolean isNew = set.patchedIndexes().stream().anyMatch(i -> set.newFailure(i, t));
            row(sb, width, cols, (isNew ? ">> " : "   ") + t, i -> {
                TestStatus s = set.runs().get(i).status(t);
                return s == null ? "-" : s.name();
            });
        }
        sb.append(rule);
        for (TestStatus s : TestStatus.values()) {
            row(sb, width, cols, "   " + s.name().toLowerCase(Locale.ROOT),
                    i -> String.valueOf(set.runs().get(i).count(s)));
        }
        sb.append(rule);
        sb.append(">> marks a new failure: failed, errored or crashed on the patched kernel, not on the base.\n\n");
    }

    private static String rule(int width, List<Integer> cols) {
        StringBuilder r = new StringBuilder("+").append("-".repeat(width + 2));
        cols.forEach(c -> r.append('+').append("-".repeat(c + 2)));
        return r.append("+\n").toString();
    }

    private static void row(StringBuilder sb, int width, List<Integer> cols, String first,
            java.util.function.IntFunction<String> cell) {
        sb.append(String.format(Locale.ROOT, "| %-" + width + "s ", first));
        for (int i = 0; i < cols.size(); i++) {
            sb.append(String.format(Locale.ROOT, "| %-" + cols.get(i) + "s ", cell.apply(i)));
        }
        sb.append("|\n");
    }

    private static void newFailures(RunSet set, StringBuilder sb) {
        for (int i : set.patchedIndexes()) {
            RunReport run = set.runs().get(i);
            for (Comparison.Row row : set.comparison(i).orElseThrow().newFailures()) {
                if (row.patched() == TestStatus.CRASHED) {
                    continue; // shown with its console excerpt below
                }
                sb.append("new failure on ").append(set.label(i)).append(": ").append(row.test()).append(' ')
                        .append(row.patched()).append(row.base() == null ? "" : " (base " + row.base() + ")")
                        .append('\n');
                run.outcomes().stream().filter(o -> o.id().equals(row.test())).findFirst()
                        .ifPresent(o -> o.message().lines().forEach(l -> sb.append("        ").append(l).append('\n')));
                sb.append('\n');
            }
        }
    }

    private static void crashes(RunSet set, StringBuilder sb) {
        for (int i = 0; i < set.runs().size(); i++) {
            RunReport run = set.runs().get(i);
            List<RunReport.Crash> fresh = set.comparison(i).map(Comparison::newCrashes).orElse(List.of());
            for (RunReport.Crash c : run.crashes()) {
                sb.append(String.format(Locale.ROOT, "%s on %s in VM %d, %.1f s after boot, during %s:%n",
                        fresh.contains(c) ? "NEW crash" : "crash", set.label(i), c.vm(), c.secondsIntoVm(),
                        c.test() == null ? "no test (between tests)" : c.test()));
                sb.append(c.title()).append("\n");
                if (c.test() != null) {
                    run.confirmation(c.test()).ifPresent(k -> sb.append("confirmation (the test alone in fresh VMs): ")
                            .append(k.describe()).append('\n'));
                }
                sb.append('\n');
                c.excerpt().forEach(l -> sb.append("        ").append(l).append('\n'));
                sb.append("\n        (full console: ").append(run.dir().resolve("vm-" + c.vm()).resolve("console.log"))
                        .append(")\n\n");
            }
        }
    }

    /** Stall reports that could not be true (guest clock jumps): shown, never counted as crashes. */
    private static void infrastructure(RunSet set, StringBuilder sb) {
        for (int i = 0; i < set.runs().size(); i++) {
            for (RunReport.Infra e : set.runs().get(i).infrastructure()) {
                sb.append(String.format(Locale.ROOT, "infrastructure event on %s in VM %d during %s (not a kernel crash;"
                        + " the test ran again in a fresh VM):%n  %s%n  %s%n%n", set.label(i), e.vm(),
                        e.test() == null ? "no test" : e.test(), e.title(), e.reason()));
            }
        }
    }

    private static void incomplete(RunSet set, StringBuilder sb) {
        for (int i = 0; i < set.runs().size(); i++) {
            RunReport r = set.runs().get(i);
            long notRun = r.count(TestStatus.NOT_RUN);
            if (r.incomplete() != null || notRun > 0) {
                sb.append("INCOMPLETE ").append(set.label(i)).append(": ")
                        .append(r.incomplete() == null ? "" : r.incomplete() + "; ").append(notRun)
                        .append(" test(s) not run\n");
            }
        }
        if (set.runs().stream().anyMatch(r -> r.incomplete() != null || r.count(TestStatus.NOT_RUN) > 0)) {
            sb.append('\n');
        }
    }

    private static void phases(RunSet set, StringBuilder sb) {
        Set<String> names = new LinkedHashSet<>();
        set.runs().forEach(r -> r.vms().forEach(v -> v.phases().forEach(p -> names.add(p.name()))));
        if (names.isEmpty()) {
            return;
        }
        sb.append("boot phases, seconds (guest uptime / host time since QEMU started):\n");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %-16s %3s", "run", "vm"));
        names.forEach(n -> head.append(String.format(Locale.ROOT, " %-15s", n)));
        sb.append(head).append("  started / ending\n");
        for (int i = 0; i < set.runs().size(); i++) {
            for (RunReport.Vm vm : set.runs().get(i).vms()) {
                sb.append(String.format(Locale.ROOT, "  %-16s %3d", set.label(i), vm.index()));
                for (String n : names) {
                    RunResults.Phase p = vm.phases().stream().filter(x -> x.name().equals(n)).findFirst().orElse(null);
                    sb.append(String.format(Locale.ROOT, " %-15s", p == null ? "-"
                            : String.format(Locale.ROOT, "%.2f / %.2f", p.guestSeconds(), p.hostSeconds())));
                }
                sb.append("  ").append(vm.startedAs()).append(" / ").append(vm.ending()).append('\n');
            }
        }
        sb.append('\n');
    }

    private static void agreement(RunSet set, StringBuilder sb) {
        for (int i = 0; i < set.runs().size(); i++) {
            List<AgreementTable.Row> rows = set.runs().get(i).agreement();
            if (!rows.isEmpty()) {
                sb.append(set.label(i)).append(": ").append(AgreementTable.summary(rows)).append('\n');
                rows.stream().filter(r -> !r.agree()).forEach(r -> sb.append(String.format(Locale.ROOT,
                        "  %-58s upstream %-5s ours %s%n", r.test(), r.upstream(),
                        r.ours() == null ? "(none)" : r.ours())));
                sb.append('\n');
            }
        }
    }

    private static void fuzz(RunSet set, StringBuilder sb) {
        for (int i = 0; i < set.runs().size(); i++) {
            FuzzSection f = set.runs().get(i).fuzz().orElse(null);
            if (f == null) {
                continue;
            }
            sb.append(String.format(Locale.ROOT,
                    "differential run on %s: seed %s, %d actions (%.1f/s), %d divergence(s), %d crash(es)%n",
                    set.label(i), orUnknown(f.seed()), f.actions(), f.actionsPerSecond(), f.divergences().size(),
                    f.crashes().size()));
            f.divergences().forEach(d -> {
                StringBuilder line = new StringBuilder("  ");
                d.forEach((k, v) -> line.append(k).append('=').append(v).append("  "));
                sb.append(line.toString().stripTrailing()).append('\n');
            });
            f.crashes().forEach(c -> sb.append("  crash: ").append(c.title()).append('\n'));
            sb.append('\n');
        }
    }

    private static String orUnknown(String s) {
        return s == null || s.isEmpty() ? "(unknown)" : s;
    }
}
