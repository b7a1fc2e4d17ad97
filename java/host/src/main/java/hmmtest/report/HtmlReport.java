package hmmtest.report;

import hmmtest.results.RunResults;
import hmmtest.results.TestOutcome;
import hmmtest.results.TestStatus;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One self-contained HTML page (inline CSS and a few lines of JS, nothing fetched): the verdict,
 * the kernels, a tests x runs matrix coloured by verdict, crash excerpts and failure messages
 * that expand, boot phases per VM, the upstream agreement and the differential run's figures.
 * Every piece of text from the results is escaped: console lines are attacker-shaped input.
 */
public final class HtmlReport {
    private HtmlReport() {}

    private static final String CSS = """
            body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
            h1{font-size:1.4em} h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}
            table{border-collapse:collapse;margin:.4em 0} th,td{border:1px solid #bbb;padding:2px 8px;text-align:left}
            th{background:#f0f0f0} td.test{font-family:monospace} pre{background:#f7f7f7;padding:.6em;overflow:auto}
            .v-PASS{background:#c8efc8} .v-SKIP{background:#e4e4e4;color:#555} .v-FAIL{background:#f7b9b9}
            .v-ERROR{background:#fbd49a} .v-CRASHED{background:#a3001b;color:#fff;font-weight:bold}
            .v-NOT_RUN{background:#fff0a0} .v-none{color:#999}
            td.new{outline:3px solid #000;outline-offset:-3px} .mark{font-weight:bold}
            .verdict{padding:.5em 1em;display:inline-block;border-radius:4px;font-weight:bold}
            .verdict.PASS{background:#c8efc8} .verdict.INCOMPLETE{background:#fff0a0}
            .verdict.NEW_FAILURES{background:#f7b9b9} .verdict.CRASH_IN_PATCHED{background:#a3001b;color:#fff}
            details{margin:.3em 0} summary{cursor:pointer} .mono{font-family:monospace}
            """;

    /** Hides the rows where every run passed or skipped, for long suites. */
    private static final String JS = """
            document.getElementById('only-bad').addEventListener('change', function (e) {
              document.querySelectorAll('#matrix tbody tr.fine').forEach(function (tr) {
                tr.style.display = e.target.checked ? 'none' : '';
              });
            });
            """;

    private static void bisection(RunSet set, StringBuilder h) {
        set.bisection().ifPresent(b -> {
            h.append("<h2>Bisection</h2>\n<p id=\"bisection\">").append(esc(b.headline())).append("</p>\n")
                    .append("<table class=\"bisection\"><thead><tr><th>patches</th><th>verdict</th><th>runs</th>"
                            + "<th>kernel</th><th>build s</th><th>objects</th><th>detail</th></tr></thead><tbody>\n");
            for (Bisection.Step st : b.steps()) {
                h.append("<tr><td>1..").append(st.patches()).append("</td><td>").append(esc(st.verdict())).append("</td><td>")
                        .append(st.runs()).append("</td><td>").append(esc(st.build())).append("</td><td>")
                        .append(String.format("%.0f", st.buildSeconds())).append("</td><td>").append(st.objectsCompiled())
                        .append("</td><td>").append(esc(st.detail())).append("</td></tr>\n");
            }
            h.append("</tbody></table>\n");
        });
    }

    public static String render(RunSet set, String reproduceCommand) {
        Verdict v = set.verdict();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>hmmtest: ")
                .append(esc(v.name())).append("</title>\n<style>").append(CSS).append("</style></head><body>\n");
        h.append("<h1>hmmtest validation</h1>\n<p><span class=\"verdict ").append(v.name()).append("\">")
                .append(esc(v.name())).append("</span> ").append(esc(v.meaning)).append("</p>\n");
        findings(set, h);
        bisection(set, h);
        matrix(set, h);
        crashes(set, h);
        failures(set, h);
        kernels(set, h);
        phases(set, h);
        agreement(set, h);
        fuzz(set, h);
        h.append("<h2>Reproduce</h2>\n<pre id=\"reproduce\">").append(esc(reproduceCommand)).append("</pre>\n");
        h.append("<script>").append(JS).append("</script>\n</body></html>\n");
        return h.toString();
    }

    /** The new failures and crashes in one list, before any table: what the reader came for. */
    private static void findings(RunSet set, StringBuilder h) {
        StringBuilder items = new StringBuilder();
        for (int i : set.patchedIndexes()) {
            Comparison c = set.comparison(i).orElseThrow();
            for (RunReport.Crash x : c.newCrashes()) {
                items.append("<li>").append(esc(set.label(i))).append(": new crash <b>").append(esc(x.title()))
                        .append("</b>").append(x.test() == null ? "" : " in " + esc(x.test())).append("</li>\n");
            }
            for (Comparison.Row r : c.newFailures()) {
                if (r.patched() != TestStatus.CRASHED) {
                    items.append("<li>").append(esc(set.label(i))).append(": ").append(esc(r.test()))
                            .append(" ").append(esc(String.valueOf(r.patched())))
                            .append(r.base() == null ? "" : esc(" (base " + r.base() + ")")).append("</li>\n");
                }
            }
            RunReport run = set.runs().get(i);
            if (!run.complete()) {
                items.append("<li>").append(esc(set.label(i))).append(": incomplete, ")
                        .append(esc(run.incomplete() == null ? run.count(TestStatus.NOT_RUN) + " test(s) not run"
                                : run.incomplete())).append("</li>\n");
            }
        }
        if (items.length() > 0) {
            h.append("<ul id=\"findings\">\n").append(items).append("</ul>\n");
        }
    }

    private static void kernels(RunSet set, StringBuilder h) {
        h.append("<h2>Kernels</h2>\n<table id=\"kernels\"><thead><tr><th>run</th><th>role</th><th>kernel</th>"
                + "<th>source and patches</th><th>config sha256</th><th>compiler</th><th>accelerator</th>"
                + "<th>status</th></tr></thead><tbody>\n");
        for (int i = 0; i < set.runs().size(); i++) {
            RunReport r = set.runs().get(i);
            KernelManifest m = r.manifest();
            h.append("<tr><td>").append(esc(set.label(i))).append("</td><td>")
                    .append(set.isBase(i) ? "base" : "tested").append("</td><td>").append(esc(r.kernelRelease()))
                    .append("</td><td>").append(esc(m.describeSource()));
            if (!m.series().isEmpty()) {
                h.append("<ol>");
                for (KernelManifest.Patch p : m.series()) {
                    h.append("<li>").append(esc(p.title())).append("<br><small>").append(esc(p.author()))
                            .append(" &middot; <span class=\"mono\">sha256 ").append(esc(Json.shortHash(p.sha256())))
                            .append("</span>");
                    String applied = m.applyStatus(p.index());
                    h.append(applied.isEmpty() ? "" : " &middot; " + esc(applied.toLowerCase(Locale.ROOT)));
                    h.append("</small></li>");
                }
                h.append("</ol>");
            }
            h.append("</td><td class=\"mono\">").append(esc(Json.shortHash(m.configSha256()))).append("</td><td>")
                    .append(esc(m.compiler())).append("</td><td>").append(esc(r.accelerator())).append("</td><td>")
                    .append(r.complete() ? "complete" : esc("incomplete: " + String.valueOf(r.incomplete())))
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static void matrix(RunSet set, StringBuilder h) {
        h.append("<h2>Tests</h2>\n<label><input type=\"checkbox\" id=\"only-bad\"> only tests that did not pass"
                + " everywhere</label>\n<table id=\"matrix\"><thead><tr><th>test</th>");
        for (int i = 0; i < set.runs().size(); i++) {
            h.append("<th>").append(esc(set.label(i))).append(set.isBase(i) ? " (base)" : "").append("</th>");
        }
        h.append("</tr></thead><tbody>\n");
        for (String t : set.testIds()) {
            boolean fine = set.runs().stream().allMatch(r -> r.status(t) == TestStatus.PASS
                    || r.status(t) == TestStatus.SKIP);
            h.append("<tr").append(fine ? " class=\"fine\"" : "").append("><td class=\"test\">").append(esc(t))
                    .append("</td>");
            for (int i = 0; i < set.runs().size(); i++) {
                RunReport r = set.runs().get(i);
                TestOutcome o = r.outcomes().stream().filter(x -> x.id().equals(t)).findFirst().orElse(null);
                boolean isNew = set.newFailure(i, t);
                String cls = o == null ? "v-none" : "v-" + o.status().name();
                h.append("<td class=\"").append(cls).append(isNew ? " new" : "").append("\"");
                if (o != null && !o.message().isEmpty()) {
                    h.append(" title=\"").append(esc(o.message())).append("\"");
                }
                h.append(">").append(isNew ? "<span class=\"mark\">&gt;&gt; </span>" : "")
                        .append(o == null ? "&ndash;" : esc(o.status().name())).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody><tfoot>\n");
        for (TestStatus s : TestStatus.values()) {
            h.append("<tr><th>").append(esc(s.name().toLowerCase(Locale.ROOT))).append("</th>");
            set.runs().forEach(r -> h.append("<td>").append(r.count(s)).append("</td>"));
            h.append("</tr>\n");
        }
        h.append("</tfoot></table>\n<p><b>&gt;&gt;</b> marks a new failure: failed, errored or crashed on that"
                + " kernel but not on the base.</p>\n");
    }

    private static void crashes(RunSet set, StringBuilder h) {
        if (set.runs().stream().allMatch(r -> r.crashes().isEmpty())) {
            return;
        }
        h.append("<h2>Crashes</h2>\n");
        for (int i = 0; i < set.runs().size(); i++) {
            RunReport run = set.runs().get(i);
            List<RunReport.Crash> fresh = set.comparison(i).map(Comparison::newCrashes).orElse(List.of());
            for (RunReport.Crash c : run.crashes()) {
                h.append("<details class=\"crash\"><summary>").append(fresh.contains(c) ? "<b>NEW</b> " : "")
                        .append(esc(String.format(Locale.ROOT, "%s, VM %d, %s: %s", set.label(i), c.vm(),
                                c.test() == null ? "between tests" : c.test(), c.title())))
                        .append(c.test() == null ? "" : run.confirmation(c.test())
                                .map(k -> " <i>(" + esc(k.describe()) + ")</i>").orElse(""))
                        .append("</summary>\n<p>").append(esc(String.format(Locale.ROOT,
                                "%s, %.1f s after boot%s; console: %s", c.kind(), c.secondsIntoVm(),
                                c.taint().isEmpty() ? "" : ", taint " + c.taint(),
                                run.dir().resolve("vm-" + c.vm()).resolve("console.log"))))
                        .append("</p>\n<pre>").append(esc(String.join("\n", c.excerpt()))).append("</pre>\n");
                if (!c.taskDump().isEmpty()) {
                    h.append("<details><summary>task dump</summary><pre>")
                            .append(esc(String.join("\n", c.taskDump()))).append("</pre></details>\n");
                }
                h.append("</details>\n");
            }
        }
    }

    private static void failures(RunSet set, StringBuilder h) {
        StringBuilder f = new StringBuilder();
        for (int i = 0; i < set.runs().size(); i++) {
            for (TestOutcome o : set.runs().get(i).outcomes()) {
                if (o.status().bad() && o.status() != TestStatus.CRASHED && !o.message().isEmpty()) {
                    f.append("<details class=\"failure\"><summary>").append(esc(set.label(i) + ": " + o.id()))
                            .append(" <span class=\"v-").append(o.status().name()).append("\">")
                            .append(esc(o.status().name())).append("</span></summary><pre>").append(esc(o.message()))
                            .append("</pre></details>\n");
                }
            }
        }
        if (f.length() > 0) {
            h.append("<h2>Failures</h2>\n").append(f);
        }
    }

    private static void phases(RunSet set, StringBuilder h) {
        Set<String> names = new LinkedHashSet<>();
        set.runs().forEach(r -> r.vms().forEach(v -> v.phases().forEach(p -> names.add(p.name()))));
        if (names.isEmpty()) {
            return;
        }
        h.append("<h2>Boot phases</h2>\n<p>Seconds: guest uptime / host time since QEMU started.</p>\n"
                + "<table id=\"phases\"><thead><tr><th>run</th><th>VM</th>");
        names.forEach(n -> h.append("<th>").append(esc(n)).append("</th>"));
        h.append("<th>VM seconds</th><th>started</th><th>ending</th></tr></thead><tbody>\n");
        for (int i = 0; i < set.runs().size(); i++) {
            for (RunReport.Vm vm : set.runs().get(i).vms()) {
                h.append("<tr><td>").append(esc(set.label(i))).append("</td><td>").append(vm.index()).append("</td>");
                for (String n : names) {
                    RunResults.Phase p = vm.phases().stream().filter(x -> x.name().equals(n)).findFirst().orElse(null);
                    h.append("<td>").append(p == null ? "&ndash;" : String.format(Locale.ROOT, "%.2f / %.2f",
                            p.guestSeconds(), p.hostSeconds())).append("</td>");
                }
                h.append(String.format(Locale.ROOT, "<td>%.1f</td><td>", vm.seconds())).append(esc(vm.startedAs()))
                        .append("</td><td>").append(esc(vm.ending()))
                        .append("</td></tr>\n");
            }
        }
        h.append("</tbody></table>\n");
    }

    private static void agreement(RunSet set, StringBuilder h) {
        for (int i = 0; i < set.runs().size(); i++) {
            List<AgreementTable.Row> rows = set.runs().get(i).agreement();
            if (rows.isEmpty()) {
                continue;
            }
            h.append("<h2>Upstream hmm-tests vs ours: ").append(esc(set.label(i))).append("</h2>\n<p>")
                    .append(esc(AgreementTable.summary(rows))).append("</p>\n<table class=\"agreement\"><thead><tr>"
                            + "<th>test</th><th>upstream</th><th>ours</th><th></th></tr></thead><tbody>\n");
            for (AgreementTable.Row r : rows) {
                h.append("<tr><td class=\"test\">").append(esc(r.test())).append("</td>").append(cell(r.upstream(),
                        r.upstreamReason())).append(cell(r.ours(), "")).append("<td>")
                        .append(r.agree() ? "" : "<b>disagree</b>").append("</td></tr>\n");
            }
            h.append("</tbody></table>\n");
        }
    }

    private static String cell(TestStatus s, String title) {
        return "<td class=\"" + (s == null ? "v-none" : "v-" + s.name()) + "\""
                + (title.isEmpty() ? "" : " title=\"" + esc(title) + "\"") + ">"
                + (s == null ? "(none)" : esc(s.name())) + "</td>";
    }

    private static void fuzz(RunSet set, StringBuilder h) {
        for (int i = 0; i < set.runs().size(); i++) {
            FuzzSection f = set.runs().get(i).fuzz().orElse(null);
            if (f == null) {
                continue;
            }
            h.append("<h2>Differential run: ").append(esc(set.label(i))).append("</h2>\n<table class=\"fuzz\">")
                    .append("<tr><th>seed</th><td class=\"mono\">").append(esc(f.seed())).append("</td></tr>")
                    .append("<tr><th>actions</th><td>").append(f.actions()).append("</td></tr>")
                    .append(String.format(Locale.ROOT, "<tr><th>actions per second</th><td>%.1f</td></tr>",
                            f.actionsPerSecond()))
                    .append("<tr><th>divergences</th><td>").append(f.divergences().size()).append("</td></tr>")
                    .append("<tr><th>crashes</th><td>").append(f.crashes().size()).append("</td></tr></table>\n");
            if (!f.divergences().isEmpty()) {
                List<String> cols = f.divergenceColumns();
                h.append("<table class=\"divergences\"><thead><tr>");
                cols.forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
                h.append("</tr></thead><tbody>\n");
                for (var d : f.divergences()) {
                    h.append("<tr>");
                    cols.forEach(c -> h.append("<td class=\"mono\">").append(esc(d.getOrDefault(c, "")))
                            .append("</td>"));
                    h.append("</tr>\n");
                }
                h.append("</tbody></table>\n");
            }
            for (RunReport.Crash c : f.crashes()) {
                h.append("<details class=\"crash\"><summary>").append(esc(c.title())).append("</summary><pre>")
                        .append(esc(String.join("\n", c.excerpt()))).append("</pre></details>\n");
            }
        }
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                case '\r' -> { } // serial consoles end lines with CR LF
                default -> out.append(Character.isISOControl(ch) && ch != '\n' && ch != '\t' ? '\uFFFD' : ch);
            }
        }
        return out.toString();
    }
}
