package hmmtest.session;

import hmmtest.infra.Exec;
import hmmtest.infra.Progress;
import hmmtest.plan.WorkQueue;
import hmmtest.protocol.TestSelection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * JOBS=N: N VMs at once, each pulling its next batch of tests from one {@link WorkQueue} and
 * running it as a {@link SuiteSession} (so a crash ends only its VM, is pinned on its test, and
 * the batch goes on in a fresh VM, exactly as with one job). Every VM of the run is numbered
 * apart in the one results directory, and the results merge into one session in plan order.
 * A kernel that cannot run tests at all (it does not boot, QEMU is killed, Ctrl-C) stops the
 * queue: the tests never handed out are "not run" with the reason.
 */
public final class ParallelSession {
    private final SuiteSession.Config config;
    private final List<String> plan;
    private final WorkQueue queue;
    private final int jobs;

    public ParallelSession(SuiteSession.Config config, List<String> plan, WorkQueue queue, int jobs) {
        this.config = config;
        this.plan = List.copyOf(plan);
        this.queue = queue;
        this.jobs = jobs;
    }

    public SessionResults run() {
        SessionResults merged = new SessionResults();
        AtomicInteger vmNumbers = new AtomicInteger();
        long deadline = System.nanoTime() + config.timeouts().wholeRun().toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int j = 1; j <= jobs; j++) {
            int job = j;
            Thread t = new Thread(() -> work(job, merged, vmNumbers, deadline), "job-" + j);
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                queue.stop("interrupted");
            }
        }
        String why = queue.stopped() != null ? queue.stopped() : "the whole-run deadline passed";
        merged.setPlan(plan, "not run: " + why);
        return merged;
    }

    private void work(int job, SessionResults merged, AtomicInteger vmNumbers, long deadline) {
        for (List<String> batch = queue.next(); !batch.isEmpty(); batch = queue.next()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                queue.stop("the whole-run deadline of " + config.timeouts().wholeRun().toSeconds() + " s passed");
                merged.absorb(notRun(batch, queue.stopped()));
                return;
            }
            Progress.info("jobs", String.format(Locale.ROOT, "job %d: %d test%s (%s%s)", job, batch.size(),
                    batch.size() == 1 ? "" : "s", batch.get(0), batch.size() > 1 ? ", ..." : ""));
            Timeouts t = new Timeouts(config.timeouts().boot(), config.timeouts().perTest(), Duration.ofNanos(left));
            SuiteSession.Config c = new SuiteSession.Config(config.machine(), TestSelection.exactly(batch), t,
                    config.dir(), config.verbose(), config.known(), config.vms(), config.dumpGrace());
            SessionResults r = new SuiteSession(c, vmNumbers::incrementAndGet).run();
            merged.absorb(r);
            if (Exec.exiting()) {
                queue.stop("interrupted (SIGINT/SIGTERM)");
            } else if (r.bootFailure() != null || r.infrastructureFailure()) {
                queue.stop(r.incomplete() != null ? r.incomplete() : "the kernel could not run tests");
            }
        }
    }

    /** A batch that was handed out but not started. */
    private static SessionResults notRun(List<String> batch, String reason) {
        SessionResults r = new SessionResults();
        r.setPlan(batch, "not run: " + reason);
        return r;
    }
}
