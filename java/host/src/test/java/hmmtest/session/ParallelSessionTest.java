package hmmtest.session;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.console.KnownIssues;
import hmmtest.plan.TestDurations;
import hmmtest.plan.WorkQueue;
import hmmtest.protocol.ResultRecord;
import hmmtest.protocol.ResultRecord.Kind;
import hmmtest.protocol.TestSelection;
import hmmtest.protocol.WorkOrder;
import hmmtest.results.TestStatus;
import hmmtest.session.SuiteSessionTest.Result;
import hmmtest.session.SuiteSessionTest.ScriptedVm;
import hmmtest.session.SuiteSessionTest.Step;
import hmmtest.vm.Vm;
import hmmtest.vm.VmLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JOBS=N without QEMU: each VM is scripted from its work order the way the guest runs one (the
 * plan of the selection, then each test from the order's position), so the queue's batches and
 * the crash continuation inside a batch are exercised as they happen for real.
 */
class ParallelSessionTest {
    @TempDir
    Path dir;

    static final List<String> PLAN = List.of("t.01", "t.02", "t.03", "t.04", "t.05", "t.06", "t.07", "t.08", "t.09",
            "t.10", "t.11", "t.12");

    /** A guest that passes every test but crashes the kernel in {@code crashing} (each time it runs it). */
    static final class GuestLike implements SuiteSession.VmSource {
        final String crashing;
        final boolean boots;
        final List<String> selections = Collections.synchronizedList(new ArrayList<>());
        final Set<Path> vmDirs = ConcurrentHashMap.newKeySet();

        GuestLike(String crashing, boolean boots) {
            this.crashing = crashing;
            this.boots = boots;
        }

        @Override
        public VmLauncher.Launched launch(WorkOrder order, Path vmDir, Vm.Listener listener, Duration bootTimeout,
                BooleanSupplier abort) {
            assertThat(vmDirs.add(vmDir)).as("each VM has a directory of its own: " + vmDir).isTrue();
            selections.add(order.select());
            List<Step> steps = new ArrayList<>();
            if (boots) {
                List<String> ids = TestSelection.plan(PLAN, TestSelection.globs(order.select()), List.of());
                for (int i = 0; i < ids.size(); i++) {
                    steps.add(new Result(ResultRecord.of(Kind.PLAN, String.valueOf(i), ids.get(i)).encode()));
                }
                boolean crashed = false;
                for (String id : ids.subList(order.from(), ids.size())) {
                    if (id.equals(crashing)) {
                        steps.addAll(SuiteSessionTest.start(id));
                        steps.addAll(corpus("0002"));
                        crashed = true;
                        break;
                    }
                    steps.addAll(SuiteSessionTest.pass(id));
                }
                if (!crashed) {
                    steps.add(SuiteSessionTest.done());
                }
            }
            return new VmLauncher.Launched(new ScriptedVm(steps, 0),
                    new VmLauncher.Start(VmLauncher.Start.RESTORED, "scripted", null, null, null, 0.1), null);
        }

        private static List<Step> corpus(String name) {
            try {
                return SuiteSessionTest.corpus(name);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    SuiteSession.Config config(SuiteSession.VmSource vms) {
        Timeouts t = new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(60));
        return new SuiteSession.Config(null, null, t, dir, false, KnownIssues.none(), vms, Duration.ZERO);
    }

    SessionResults parallel(GuestLike guest, int jobs) {
        // 10 s each (recorded): the queue hands out batches of one or two tests
        java.util.Map<String, Long> tenSeconds = new java.util.HashMap<>();
        PLAN.forEach(id -> tenSeconds.put(id, 10_000L));
        return new ParallelSession(config(guest), PLAN, new WorkQueue(PLAN, new TestDurations(tenSeconds), jobs), jobs).run();
    }

    @Test
    void threeJobsGiveTheVerdictsOfOneInPlanOrderWithTheCrashPinnedOnItsTest() {
        GuestLike guest = new GuestLike("t.05", true);
        SessionResults r = parallel(guest, 3);
        assertThat(r.tests()).extracting(o -> o.id()).containsExactlyElementsOf(PLAN);
        assertThat(r.tests()).allSatisfy(o -> assertThat(o.status())
                .isEqualTo(o.id().equals("t.05") ? TestStatus.CRASHED : TestStatus.PASS));
        assertThat(r.crashes()).singleElement().satisfies(c -> assertThat(c.test()).isEqualTo("t.05"));
        assertThat(r.incomplete()).isNull();
        assertThat(guest.selections.size()).as("batches, plus the VM after the crash").isGreaterThan(4);

        GuestLike alone = new GuestLike("t.05", true);
        SessionResults one = new SuiteSession(new SuiteSession.Config(null, TestSelection.exactly(PLAN),
                config(alone).timeouts(), dir.resolve("one"), false, KnownIssues.none(), alone, Duration.ZERO)).run();
        assertThat(r.tests()).extracting(o -> Map.entry(o.id(), o.status()))
                .containsExactlyElementsOf(one.tests().stream().map(o -> Map.entry(o.id(), o.status())).toList());
    }

    @Test
    void aKernelThatDoesNotBootStopsTheQueueAndEveryTestIsNotRunWithTheReason() {
        GuestLike guest = new GuestLike(null, false);
        SessionResults r = parallel(guest, 2);
        assertThat(r.tests()).hasSize(PLAN.size()).allSatisfy(o -> assertThat(o.status()).isEqualTo(TestStatus.NOT_RUN));
        assertThat(r.bootFailure()).isNotNull();
        assertThat(r.incomplete()).contains("never reached the guest harness");
        assertThat(guest.selections.size()).as("VMs started: at most one per job, the queue stopped").isLessThanOrEqualTo(2);
    }
}
