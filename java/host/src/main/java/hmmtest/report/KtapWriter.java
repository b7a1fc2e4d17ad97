package hmmtest.report;

import hmmtest.results.TestOutcome;
import hmmtest.results.TestStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * KTAP version 1 (Documentation/dev-tools/ktap.rst): one top-level test per kernel run, each a
 * nested block with the run's tests. Verdicts map as the spec allows: PASS is {@code ok}, SKIP
 * is {@code ok # SKIP reason}, FAIL is {@code not ok}, ERROR and NOT_RUN are
 * {@code not ok # ERROR reason} (the test could not be carried out), and CRASHED is
 * {@code not ok} with the crash title as diagnostic data and the console excerpt as diagnostic
 * lines just before it, where the spec puts what concerns a test; a hang (a hung task, a soft
 * lockup, an RCU stall, or the per-test timeout) is {@code not ok # TIMEOUT title}.
 */
public final class KtapWriter {
    private KtapWriter() {}

    public static List<String> lines(RunSet set) {
        List<String> out = new ArrayList<>();
        out.add("KTAP version 1");
        out.add("# hmmtest: " + set.runs().size() + " kernel run(s)"
                + set.baseIndex().map(b -> ", base " + set.label(b)).orElse(", no base"));
        set.bisection().ifPresent(b -> {
            out.add(diag("bisection: " + b.headline()));
            b.steps().forEach(st -> out.add(diag("bisection: patches 1.." + st.patches() + " " + st.verdict() + ", "
                    + st.detail() + ", kernel " + st.build() + String.format(" %.0f s", st.buildSeconds()))));
        });
        out.add("1.." + set.runs().size());
        for (int i = 0; i < set.runs().size(); i++) {
            run(set, i, out);
        }
        return out;
    }

    private static void run(RunSet set, int index, List<String> out) {
        RunReport run = set.runs().get(index);
        String label = name(set.label(index));
        List<String> block = new ArrayList<>();
        block.add("KTAP version 1");
        // Not in the KTAP spec, but KUnit's parser uses it to name the nested test; harmless elsewhere.
        block.add("# Subtest: " + label);
        block.add(diag("kernel " + (run.kernelRelease().isEmpty() ? "unknown" : run.kernelRelease())
                + (run.accelerator().isEmpty() ? "" : ", " + run.accelerator())
                + (set.isBase(index) ? ", base" : "")));
        List<TestOutcome> outcomes = run.outcomes();
        block.add("1.." + outcomes.size());
        boolean allOk = true;
        int n = 0;
        for (TestOutcome o : outcomes) {
            n++;
            allOk &= !o.status().bad();
            if (set.newFailure(index, o.id())) {
                String base = set.baseIndex().map(b -> String.valueOf(set.runs().get(b).status(o.id()))).orElse("");
                block.add(diag("new failure" + (base.isEmpty() ? "" : " (base: " + base + ")")));
            }
            if (o.id().equals(RunReport.UPSTREAM_TEST)) {
                block.addAll(nested(o.id(), run.upstreamKtap()));
            }
            if (o.status().bad()) {
                run.confirmation(o.id()).ifPresent(k -> block.add(diag("confirmation: " + k.describe())));
            }
            block.addAll(result(n, o, run.crashesOf(o.id())));
        }
        for (RunReport.Crash c : run.crashes()) {
            if (c.test() == null) {
                allOk = false;
                block.add(diag("kernel crash between tests in VM " + c.vm() + ": " + c.title()));
                c.excerpt().forEach(l -> block.add(diag("  " + l)));
            }
        }
        for (RunReport.Infra e : run.infrastructure()) {
            block.add(diag("infrastructure event in VM " + e.vm() + " (not a kernel crash; "
                    + (e.test() == null ? "" : e.test() + " ran again") + "): " + e.title() + ": " + e.reason()));
        }
        block.forEach(l -> out.add("  " + l));
        String closing = (allOk && run.complete() ? "ok " : "not ok ") + (index + 1) + " " + label;
        if (run.incomplete() != null) {
            closing += " # ERROR incomplete: " + data(run.incomplete());
        }
        out.add(closing);
    }

    /**
     * A test's own KTAP (or TAP 13, as kselftest prints it) as its subtests: indented two spaces
     * before its result line, as the spec nests them, with the version line made KTAP's.
     */
    static List<String> nested(String id, List<String> ktap) {
        List<String> out = new ArrayList<>();
        if (ktap.isEmpty()) {
            return out;
        }
        out.add("  KTAP version 1");
        out.add("  # Subtest: " + name(id));
        for (String l : ktap) {
            String c = clean(l).stripTrailing();
            if (c.matches("K?TAP version \\d+")) {
                continue;
            }
            out.add(c.isEmpty() ? "" : "  " + (c.startsWith("#") ? "# " + defuse(c.substring(1).strip()) : c));
        }
        return out;
    }

    /** Kernel reports (and the host's own timeout) that mean the test never finished: KTAP's TIMEOUT. */
    static final java.util.Set<String> HANG_KINDS = java.util.Set.of("HANG", "HUNG_TASK", "SOFT_LOCKUP", "RCU_STALL");

    static List<String> result(int n, TestOutcome o, List<RunReport.Crash> crashes) {
        List<String> out = new ArrayList<>();
        String name = name(o.id());
        String message = o.message().lines().findFirst().orElse("");
        switch (o.status()) {
            case PASS -> out.add("ok " + n + " " + name);
            case SKIP -> out.add("ok " + n + " " + name + " # SKIP " + data(message));
            case FAIL -> {
                o.message().lines().forEach(l -> out.add(diag(l)));
                out.add("not ok " + n + " " + name);
            }
            case ERROR -> {
                o.message().lines().skip(1).forEach(l -> out.add(diag(l)));
                out.add("not ok " + n + " " + name + " # ERROR " + data(message));
            }
            case NOT_RUN -> out.add("not ok " + n + " " + name + " # ERROR not run: " + data(message));
            case CRASHED -> {
                String title = crashes.isEmpty() ? message : crashes.get(0).title();
                for (RunReport.Crash c : crashes) {
                    out.add(diag("kernel crash in VM " + c.vm() + ": " + c.title()));
                    c.excerpt().forEach(l -> out.add(diag("  " + l)));
                }
                boolean hang = !crashes.isEmpty() && HANG_KINDS.contains(crashes.get(0).kind());
                out.add("not ok " + n + " " + name + (hang ? " # TIMEOUT " : " # kernel crash: ") + data(title));
            }
        }
        return out;
    }

    /** A test name: the spec allows anything but '#' and newlines. */
    static String name(String s) {
        return clean(s).replace('#', '_').strip();
    }

    /** Diagnostic data after '#': one line. */
    private static String data(String s) {
        return Optional.of(clean(s).strip()).filter(d -> !d.isEmpty()).orElse("(no reason given)");
    }

    private static String diag(String s) {
        return ("# " + defuse(clean(s))).stripTrailing();
    }

    /** Control characters (a console's escape codes, a stray CR) have no place in a KTAP line. */
    private static String clean(String s) {
        return s.replace('\t', ' ').replaceAll("[\\p{Cntrl}]", "");
    }

    /**
     * KUnit's parser stops reading at these console phrases wherever they appear in a line, so a
     * crash excerpt quoting them would cut the report short there. A changed colon keeps the
     * line readable and the parse whole.
     */
    private static String defuse(String s) {
        if (s.startsWith("Subtest:")) {
            s = " " + s; // "# Subtest: x" would open a nested test in KUnit's parser
        }
        return s.replace("List of all partitions:", "List of all partitions;")
                .replace("Kernel panic - not syncing: VFS:", "Kernel panic - not syncing; VFS:")
                .replace("reboot: System halted", "reboot; System halted");
    }
}
