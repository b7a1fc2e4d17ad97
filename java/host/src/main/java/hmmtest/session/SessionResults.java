package hmmtest.session;

import hmmtest.results.TestOutcome;
import hmmtest.results.TestStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a whole session across its VMs: every planned test ends as passed, failed,
 * skipped, crashed or not run (with the reason), plus the crashes and each VM's boot phases.
 */
public final class SessionResults {
    final List<String> plan = new ArrayList<>();
    final Map<String, TestOutcome> outcomes = new LinkedHashMap<>();
    final List<CrashRecord> crashes = new ArrayList<>();
    final List<VmRun> vms = new ArrayList<>();
    final Map<String, String> info = new LinkedHashMap<>();
    final List<Double> recoverySeconds = new ArrayList<>();
    final List<String> upstreamLines = new ArrayList<>();
    final List<KnownIssueSeen> knownIssues = new ArrayList<>();
    final List<InfraEvent> infrastructure = new ArrayList<>();
    final Map<String, Map<String, String>> notes = new LinkedHashMap<>();
    final java.time.Instant startedAt = java.time.Instant.now();

    /** When the session began (results.json's startedAt). */
    public java.time.Instant startedAt() {
        return startedAt;
    }

    /** What tests observed and published (test id -> key -> value). */
    public Map<String, Map<String, String>> notes() {
        return notes;
    }

    /** A known, non-fatal report that was recorded instead of ending the VM. */
    public record KnownIssueSeen(String title, String test, int vm, String reason) {}

    /** VMs the infrastructure ended (impossible stall claims after guest clock jumps): not kernel crashes. */
    public List<InfraEvent> infrastructure() {
        return infrastructure;
    }

    public List<KnownIssueSeen> knownIssues() {
        return knownIssues;
    }
    String incomplete;
    /** True when the session stopped for a reason outside the kernel under test (QEMU killed, no boot). */
    boolean infrastructureFailure;
    BootFailure bootFailure;

    /**
     * A VM whose kernel never reached the guest harness: which VM, why (the kernel's report or
     * what the harness saw), the console lines that show it, and the whole console's path.
     */
    public record BootFailure(int vm, String reason, List<String> excerpt, String console) {}

    /** Why the kernel never reached the guest harness, or null when it did. */
    public BootFailure bootFailure() {
        return bootFailure;
    }

    /** True when the session was cut short by the machine, not the kernel: exit 4 even with crashes recorded. */
    public boolean infrastructureFailure() {
        return infrastructureFailure;
    }

    public List<String> plan() {
        return plan;
    }

    /** Outcomes in plan order; tests that never reported come last. */
    public List<TestOutcome> tests() {
        List<TestOutcome> out = new ArrayList<>();
        for (String id : plan) {
            if (outcomes.containsKey(id)) {
                out.add(outcomes.get(id));
            }
        }
        outcomes.values().stream().filter(o -> !plan.contains(o.id())).forEach(out::add);
        return out;
    }

    public List<CrashRecord> crashes() {
        return crashes;
    }

    public List<VmRun> vms() {
        return vms;
    }

    public Map<String, String> info() {
        return info;
    }

    /** Seconds from each crash being detected to the next test starting in a fresh VM. */
    public List<Double> recoverySeconds() {
        return recoverySeconds;
    }

    /** Why the session could not finish (boot failure, deadline), or null. */
    public String incomplete() {
        return incomplete;
    }

    /** The upstream hmm-tests binary's output (KTAP), as far as it got. */
    public List<String> upstreamLines() {
        return upstreamLines;
    }

    /**
     * Adds what another session of the same run found (a batch of the JOBS queue: its VMs are
     * numbered apart from this session's). The plan is the caller's: {@link #setPlan}.
     */
    synchronized void absorb(SessionResults other) {
        outcomes.putAll(other.outcomes);
        crashes.addAll(other.crashes);
        vms.addAll(other.vms);
        other.info.forEach(info::putIfAbsent);
        recoverySeconds.addAll(other.recoverySeconds);
        upstreamLines.addAll(other.upstreamLines);
        knownIssues.addAll(other.knownIssues);
        infrastructure.addAll(other.infrastructure);
        other.notes.forEach((k, v) -> notes.computeIfAbsent(k, x -> new LinkedHashMap<>()).putAll(v));
        if (other.incomplete != null) {
            incomplete = incomplete == null ? other.incomplete : incomplete + "; " + other.incomplete;
        }
        infrastructureFailure |= other.infrastructureFailure;
        if (bootFailure == null) {
            bootFailure = other.bootFailure;
        }
    }

    /** The whole run's plan, in plan order; tests of it that never reported are "not run" for {@code reason}. */
    synchronized void setPlan(List<String> ids, String reason) {
        plan.clear();
        plan.addAll(ids);
        for (String id : ids) {
            if (outcomes.putIfAbsent(id, new TestOutcome(id, TestStatus.NOT_RUN, 0, reason)) == null && incomplete == null) {
                incomplete = reason;
            }
        }
        crashes.sort(java.util.Comparator.comparingInt(CrashRecord::vm));
        vms.sort(java.util.Comparator.comparingInt(VmRun::index));
    }

    public long count(TestStatus s) {
        return outcomes.values().stream().filter(t -> t.status() == s).count();
    }
}
