package hmmtest.report;

import hmmtest.results.Ktap;
import hmmtest.results.TestOutcome;
import hmmtest.results.TestStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Upstream hmm-tests against our suite, test by test: the same names on both sides
 * ({@code hmm.hmm_device_private.anon_read}). A disagreement is a finding: one suite saw
 * something the other did not.
 */
public final class AgreementTable {

    /** One upstream test with both verdicts. {@code ours} is null when we have no such test. */
    public record Row(String test, TestStatus upstream, String upstreamReason, TestStatus ours, boolean agree) {}

    private AgreementTable() {}

    public static List<Row> rows(List<Ktap.Result> upstream, List<TestOutcome> ours) {
        Map<String, TestOutcome> byId = new LinkedHashMap<>();
        ours.forEach(o -> byId.put(o.id(), o));
        List<Row> rows = new ArrayList<>();
        for (Ktap.Result u : upstream) {
            if (u.depth() != 0) {
                continue;
            }
            TestOutcome o = byId.get(u.name());
            TestStatus mine = o == null ? null : o.status();
            rows.add(new Row(u.name(), u.status(), u.reason(), mine, mine != null && same(u.status(), mine)));
        }
        return rows;
    }

    /** Both failed (however), both passed, or both skipped. */
    static boolean same(TestStatus upstream, TestStatus ours) {
        return upstream == ours || upstream == TestStatus.FAIL && ours.bad();
    }

    /** The one-line count, e.g. {@code upstream hmm-tests vs ours: 5 tests, 3 agree, 2 disagree}. */
    public static String summary(List<Row> rows) {
        long agree = rows.stream().filter(Row::agree).count();
        return String.format(Locale.ROOT, "upstream hmm-tests vs ours: %d tests, %d agree, %d disagree", rows.size(),
                agree, rows.size() - agree);
    }

    public static String render(List<Row> rows) {
        StringBuilder sb = new StringBuilder(summary(rows)).append(String.format(Locale.ROOT, "%n"));
        sb.append(String.format(Locale.ROOT, "  %-58s %-9s %-9s %s%n", "test", "upstream", "ours", ""));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "  %-58s %-9s %-9s %s%n", r.test(), r.upstream(),
                    r.ours() == null ? "(none)" : r.ours(), r.agree() ? "" : "<< DISAGREE"));
        }
        return sb.toString();
    }
}
