package hmmtest.plan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * The one queue the VMs of a JOBS=N run pull their tests from. Each pull takes a batch (one VM's
 * work: a VM start costs seconds, a test often less) of about a 1/(2N) share of the expected time
 * still queued, so batches shrink towards the end and the VMs finish together (guided
 * self-scheduling), but never less than {@link #MIN_BATCH_MILLIS} of it: each batch costs a VM
 * start (a restore, the guest's discovery: about 3 s under TCG), so a tail of 1-test batches
 * spent more on starts than it saved on balance (measured 2026-12-04: 35 VMs for 138 tests).
 * Long tests are queued first: a long test pulled last would keep one VM running alone.
 * Thread-safe.
 */
public final class WorkQueue {
    /** The smallest batch in expected test time. */
    static final long MIN_BATCH_MILLIS = 10_000;
    private final Deque<String> queue = new ArrayDeque<>();
    private final TestDurations durations;
    private final int workers;
    private long queuedMillis;
    private String stopped;

    public WorkQueue(List<String> plan, TestDurations durations, int workers) {
        this.durations = durations;
        this.workers = Math.max(1, workers);
        List<String> order = new ArrayList<>(plan);
        // stable: equal expectations keep plan order (neighbours in a class share its set-up)
        order.sort(Comparator.comparingLong(id -> -durations.expectedMillis(id)));
        queue.addAll(order);
        queuedMillis = order.stream().mapToLong(durations::expectedMillis).sum();
    }

    /** The next batch; empty when the queue is drained or stopped. */
    public synchronized List<String> next() {
        List<String> batch = new ArrayList<>();
        if (stopped != null) {
            return batch;
        }
        long target = Math.max(MIN_BATCH_MILLIS, queuedMillis / (2L * workers));
        long taken = 0;
        while (!queue.isEmpty() && (batch.isEmpty() || taken + durations.expectedMillis(queue.peekFirst()) <= target)) {
            String id = queue.removeFirst();
            long ms = durations.expectedMillis(id);
            taken += ms;
            queuedMillis -= ms;
            batch.add(id);
        }
        return batch;
    }

    /** No more batches: a VM found that the kernel cannot run tests at all (no boot, QEMU killed, interrupted). */
    public synchronized void stop(String reason) {
        if (stopped == null) {
            stopped = reason;
        }
    }

    /** Why the queue stopped early, or null. */
    public synchronized String stopped() {
        return stopped;
    }

    /** Tests never handed out (after a stop). */
    public synchronized List<String> remaining() {
        return List.copyOf(queue);
    }
}
