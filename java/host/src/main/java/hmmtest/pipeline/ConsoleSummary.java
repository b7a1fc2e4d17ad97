package hmmtest.pipeline;

import hmmtest.results.TestStatus;
import hmmtest.session.SessionResults;
import java.util.Locale;

/** The closing summary of a run, printed on the console. */
public final class ConsoleSummary {
    private ConsoleSummary() {}

    public static String summary(SessionResults r, String accel) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d tests: %d passed, %d failed, %d errors, %d skipped, %d crashed, %d not run",
                r.tests().size(), r.count(TestStatus.PASS), r.count(TestStatus.FAIL), r.count(TestStatus.ERROR),
                r.count(TestStatus.SKIP), r.count(TestStatus.CRASHED), r.count(TestStatus.NOT_RUN)));
        sb.append(String.format(Locale.ROOT, "%nkernel %s, driver ABI %s, accelerator %s, %d VM(s)",
                r.info().getOrDefault("kernel", "?"), r.info().getOrDefault("abi", "?"), accel, r.vms().size()));
        for (var c : r.crashes()) {
            sb.append(String.format(Locale.ROOT, "%ncrash in VM %d during %s: %s", c.vm(),
                    c.test() != null ? c.test() : r.bootFailure() != null && r.bootFailure().vm() == c.vm()
                            ? "boot (before the guest harness started)" : "no test (between tests)", c.title()));
        }
        for (var e : r.infrastructure()) {
            sb.append(String.format(Locale.ROOT, "%ninfrastructure event in VM %d during %s, not a kernel crash (%s): %s",
                    e.vm(), e.test() == null ? "no test" : e.test(), e.title(), e.reason()));
        }
        if (!r.knownIssues().isEmpty()) {
            java.util.Map<String, Long> counts = new java.util.TreeMap<>();
            r.knownIssues().forEach(k -> counts.merge(k.title(), 1L, Long::sum));
            counts.forEach((t, n) -> sb.append(String.format(Locale.ROOT, "%nknown issue (known-issues.txt), %d time(s): %s",
                    n, t)));
        }
        if (!r.recoverySeconds().isEmpty()) {
            sb.append("\ncrash to next test running: ").append(r.recoverySeconds().stream()
                    .map(d -> String.format(Locale.ROOT, "%.1f s", d)).toList());
        }
        if (r.incomplete() != null) {
            sb.append("\nINCOMPLETE: ").append(r.incomplete());
        }
        return sb.toString();
    }
}
