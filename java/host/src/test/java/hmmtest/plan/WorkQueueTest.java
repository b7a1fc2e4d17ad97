package hmmtest.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
    private static final List<String> PLAN = List.of("t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "long");
    private static final TestDurations DURATIONS = new TestDurations(Map.of("t1", 10_000L, "t2", 10_000L, "t3", 10_000L,
            "t4", 10_000L, "t5", 10_000L, "t6", 10_000L, "t7", 10_000L, "t8", 10_000L, "long", 100_000L));

    @Test
    void theLongTestGoesFirstAndBatchesShrinkTowardsTheEnd() {
        WorkQueue q = new WorkQueue(PLAN, DURATIONS, 2);
        List<List<String>> batches = new ArrayList<>();
        for (List<String> b = q.next(); !b.isEmpty(); b = q.next()) {
            batches.add(b);
        }
        assertThat(batches.get(0)).containsExactly("long");
        assertThat(batches.get(batches.size() - 1)).hasSize(1);
        List<String> all = new ArrayList<>();
        batches.forEach(all::addAll);
        assertThat(all).containsExactlyInAnyOrderElementsOf(PLAN);
        for (int i = 2; i < batches.size(); i++) {
            assertThat(batches.get(i).size()).isLessThanOrEqualTo(batches.get(i - 1).size());
        }
    }

    @Test
    void shortTestsShareABatchRatherThanEachPayingForAVmStart() {
        List<String> plan = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            plan.add("short" + i);
        }
        WorkQueue q = new WorkQueue(plan, new TestDurations(Map.of("short0", 200L)), 2); // all 200 ms by the median
        List<Integer> sizes = new ArrayList<>();
        for (List<String> b = q.next(); !b.isEmpty(); b = q.next()) {
            sizes.add(b.size());
        }
        assertThat(sizes).as("20 s of tests in 10 s batches").containsExactly(50, 50);
    }

    @Test
    void workersPullingAtOnceGetEachTestOnce() throws InterruptedException {
        List<String> plan = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            plan.add("t" + i);
        }
        WorkQueue q = new WorkQueue(plan, TestDurations.none(), 4);
        ConcurrentLinkedQueue<String> got = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            Thread t = new Thread(() -> {
                for (List<String> b = q.next(); !b.isEmpty(); b = q.next()) {
                    got.addAll(b);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(got).hasSize(500).doesNotHaveDuplicates();
    }

    @Test
    void aStoppedQueueHandsOutNothingAndSaysWhatItKept() {
        WorkQueue q = new WorkQueue(PLAN, DURATIONS, 2);
        List<String> first = q.next();
        q.stop("the kernel does not boot");
        q.stop("a later reason");
        assertThat(q.next()).isEmpty();
        assertThat(q.stopped()).isEqualTo("the kernel does not boot");
        assertThat(q.remaining()).hasSize(PLAN.size() - first.size());
    }
}
