package hmmtest.session;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.console.KnownIssues;
import hmmtest.protocol.ResultRecord;
import hmmtest.protocol.ResultRecord.Kind;
import hmmtest.protocol.TestMarker;
import hmmtest.results.TestOutcome;
import hmmtest.results.TestStatus;
import hmmtest.vm.Vm;
import hmmtest.vm.VmLauncher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session core without QEMU: each VM is a script of console lines (from the golden corpus)
 * and result records, played in order through the same listener QEMU feeds. What is checked is
 * what a user reads: each test's status, which test a crash is pinned on, how many VMs it took.
 */
class SuiteSessionTest {
    private static final List<String> PLAN = List.of("t.a", "t.b", "t.c");

    @TempDir
    Path dir;

    /** One step of a scripted VM. */
    sealed interface Step permits Console, Result, Stall, Advance, Freeze {}

    record Console(String line) implements Step {}

    record Result(String line) implements Step {}

    /** The guest does nothing for a while (a hang): the session's timeouts must act. */
    record Stall(Duration d) implements Step {}

    /** The VM's host clock moves on by this much at once (a long-running guest, without the wait). */
    record Advance(Duration d) implements Step {}

    /** The host stops the VM (SIGSTOP): this much host time passes with no CPU given to it. */
    record Freeze(Duration d) implements Step {}

    /** A VM that plays its steps; {@code stop} ends it early, like QEMU killed by the session. */
    static final class ScriptedVm implements Vm {
        private final List<Step> steps;
        private final Integer exitCode;
        private final long t0 = System.nanoTime();
        private Duration advanced = Duration.ZERO;
        private Duration frozen = Duration.ZERO;
        final List<Character> sysrq = new ArrayList<>();

        ScriptedVm(List<Step> steps, Integer exitCode) {
            this.steps = steps;
            this.exitCode = exitCode;
        }

        @Override
        public Exit await(Duration timeout, Listener listener, BooleanSupplier stop) {
            for (Step s : steps) {
                if (s instanceof Console c) {
                    listener.consoleLine(c.line());
                } else if (s instanceof Result r) {
                    listener.resultLine(r.line());
                } else if (s instanceof Advance a) {
                    advanced = advanced.plus(a.d());
                } else if (s instanceof Freeze f) {
                    // the session samples the CPU time in stop checks: one before, one after the freeze
                    stop.getAsBoolean();
                    advanced = advanced.plus(f.d());
                    frozen = frozen.plus(f.d());
                    stop.getAsBoolean();
                } else if (s instanceof Stall st) {
                    long end = System.nanoTime() + st.d().toNanos();
                    while (System.nanoTime() < end) {
                        if (stop.getAsBoolean()) {
                            return new Exit(null, false, true);
                        }
                        sleep(5);
                    }
                }
                if (stop.getAsBoolean()) {
                    return new Exit(null, false, true);
                }
            }
            return new Exit(exitCode, false, false);
        }

        /** Busy all the time it is not frozen (a spinning vCPU). */
        @Override
        public Duration cpuTime() {
            return sinceStart().minus(frozen);
        }

        @Override
        public void sysrq(char key) {
            sysrq.add(key);
        }

        @Override
        public Duration sinceStart() {
            return Duration.ofNanos(System.nanoTime() - t0).plus(advanced);
        }

        @Override
        public void close() {}
    }

    /** Scripts for VM 1, 2, ...; the work orders the session sent, to check where each VM started. */
    final class Scripts implements SuiteSession.VmSource {
        final List<ScriptedVm> vms = new ArrayList<>();
        final List<Integer> from = new ArrayList<>();

        Scripts add(List<Step> steps, Integer exitCode) {
            vms.add(new ScriptedVm(steps, exitCode));
            return this;
        }

        @Override
        public VmLauncher.Launched launch(hmmtest.protocol.WorkOrder order, Path vmDir, Vm.Listener listener,
                Duration bootTimeout, BooleanSupplier abort) {
            from.add(order.from());
            assertThat(from.size()).as("VMs the session asked for").isLessThanOrEqualTo(vms.size());
            return new VmLauncher.Launched(vms.get(from.size() - 1),
                    new VmLauncher.Start(VmLauncher.Start.RESTORED, "scripted", null, null, null, 0.1), null);
        }
    }

    // --- the guest's side of the protocol, as GuestMain writes it ---

    static List<Step> plan() {
        List<Step> out = new ArrayList<>();
        for (int i = 0; i < PLAN.size(); i++) {
            out.add(new Result(ResultRecord.of(Kind.PLAN, String.valueOf(i), PLAN.get(i)).encode()));
        }
        return out;
    }

    static List<Step> start(String test) {
        return List.of(new Console("[    5.000000] " + TestMarker.startText(test)),
                new Result(ResultRecord.of(Kind.START, test).encode()));
    }

    static List<Step> pass(String test) {
        List<Step> out = new ArrayList<>(start(test));
        out.add(new Result(ResultRecord.of(Kind.END, test, "PASS", "12", "").encode()));
        out.add(new Console("[    5.100000] " + TestMarker.endText(test, "PASS")));
        return out;
    }

    static Step done() {
        return new Result(ResultRecord.of(Kind.DONE, "0").encode());
    }

    /** The console lines of a corpus log (after its header). */
    static List<Step> corpus(String name) throws IOException {
        try (InputStream in = SuiteSessionTest.class.getResourceAsStream("/console/" + name)) {
            assertThat(in).as("console corpus " + name).isNotNull();
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            int blank = lines.indexOf("");
            return lines.subList(blank + 1, lines.size()).stream().map(l -> (Step) new Console(l)).toList();
        }
    }

    @SafeVarargs
    static List<Step> script(List<Step>... parts) {
        List<Step> out = new ArrayList<>();
        for (List<Step> p : parts) {
            out.addAll(p);
        }
        return out;
    }

    SessionResults run(Scripts scripts, KnownIssues known, Duration perTest) {
        Timeouts t = new Timeouts(Duration.ofSeconds(30), perTest, Duration.ofSeconds(60));
        SuiteSession.Config c = new SuiteSession.Config(null, null, t, dir, false, known, scripts, Duration.ZERO);
        return new SuiteSession(c).run();
    }

    static Map<String, TestStatus> statuses(SessionResults r) {
        Map<String, TestStatus> out = new LinkedHashMap<>();
        for (TestOutcome o : r.tests()) {
            out.put(o.id(), o.status());
        }
        return out;
    }

    @Test
    void aCleanRunIsOneVmAndEveryTestPasses() {
        Scripts s = new Scripts().add(script(plan(), pass("t.a"), pass("t.b"), pass("t.c"), List.of(done())), 0);
        SessionResults r = run(s, KnownIssues.none(), Duration.ofSeconds(30));
        assertThat(statuses(r)).containsExactly(Map.entry("t.a", TestStatus.PASS), Map.entry("t.b", TestStatus.PASS),
                Map.entry("t.c", TestStatus.PASS));
        assertThat(r.vms()).hasSize(1);
        assertThat(r.crashes()).isEmpty();
        assertThat(r.incomplete()).isNull();
    }

    @Test
    void anOopsMidTestIsPinnedOnThatTestAndAFreshVmRunsTheRest() throws IOException {
        Scripts s = new Scripts()
                .add(script(plan(), pass("t.a"), start("t.b"), corpus("0002")), 0)
                .add(script(plan(), pass("t.c"), List.of(done())), 0);
        SessionResults r = run(s, KnownIssues.none(), Duration.ofSeconds(30));
        assertThat(statuses(r)).containsExactly(Map.entry("t.a", TestStatus.PASS),
                Map.entry("t.b", TestStatus.CRASHED), Map.entry("t.c", TestStatus.PASS));
        assertThat(r.crashes()).singleElement().satisfies(c -> {
            assertThat(c.test()).isEqualTo("t.b");
            assertThat(c.title()).isEqualTo("BUG: kernel NULL pointer dereference in make_device_exclusive");
        });
        assertThat(s.from).containsExactly(0, 2);
        assertThat(r.vms()).hasSize(2);
    }

    @Test
    void aPanicBetweenTestsBlamesNoTestAndTheNextTestRunsAgain() throws IOException {
        Scripts s = new Scripts()
                .add(script(plan(), pass("t.a"), corpus("0003")), 0)
                .add(script(plan(), pass("t.b"), pass("t.c"), List.of(done())), 0);
        SessionResults r = run(s, KnownIssues.none(), Duration.ofSeconds(30));
        assertThat(statuses(r).values()).containsOnly(TestStatus.PASS);
        assertThat(r.crashes()).singleElement().satisfies(c -> {
            assertThat(c.test()).isNull();
            assertThat(c.title()).isEqualTo("kernel panic: sysrq triggered crash");
        });
        assertThat(s.from).containsExactly(0, 1);
    }

    @Test
    void aKnownWarningIsRecordedAndTheVmGoesOn() throws IOException {
        Path file = Files.writeString(dir.resolve("known-issues.txt"),
                "WARNING in dmirror_do_fault | a known warning of this test | SuiteSessionTest\n");
        Scripts s = new Scripts().add(script(plan(), pass("t.a"), start("t.b"), corpus("0004"),
                List.of(new Result(ResultRecord.of(Kind.END, "t.b", "PASS", "12", "").encode())), pass("t.c"),
                List.of(done())), 0);
        SessionResults r = run(s, KnownIssues.read(file), Duration.ofSeconds(30));
        assertThat(statuses(r).values()).containsOnly(TestStatus.PASS);
        assertThat(r.crashes()).isEmpty();
        assertThat(r.knownIssues()).singleElement().satisfies(k -> {
            assertThat(k.title()).isEqualTo("WARNING in dmirror_do_fault");
            assertThat(k.test()).isEqualTo("t.b");
        });
        assertThat(r.vms()).hasSize(1);
    }

    @Test
    void anUnknownWarningTaintsTheKernelAndTestsThatStartedAfterItRunAgain() throws IOException {
        // The WARNING begins while t.b runs; t.c then starts on the tainted kernel before the
        // report ends: its result is discarded and it runs again in a fresh VM.
        List<Step> warning = corpus("0004");
        int half = warning.size() / 2;
        Scripts s = new Scripts()
                .add(script(plan(), pass("t.a"), start("t.b"), warning.subList(0, half),
                        List.of(new Result(ResultRecord.of(Kind.END, "t.b", "PASS", "12", "").encode())), pass("t.c"),
                        warning.subList(half, warning.size())), 0)
                .add(script(plan(), pass("t.c"), List.of(done())), 0);
        SessionResults r = run(s, KnownIssues.none(), Duration.ofSeconds(30));
        assertThat(statuses(r)).containsExactly(Map.entry("t.a", TestStatus.PASS),
                Map.entry("t.b", TestStatus.CRASHED), Map.entry("t.c", TestStatus.PASS));
        assertThat(r.crashes()).singleElement().satisfies(c -> {
            assertThat(c.test()).isEqualTo("t.b");
            assertThat(c.kind()).isEqualTo("WARNING");
        });
        assertThat(s.from).containsExactly(0, 2);
    }

    @Test
    void aCrashOnAKernelTaintedByAnEarlierKnownWarningCarriesTheTaint() throws IOException {
        Path file = Files.writeString(dir.resolve("known-issues.txt"),
                "WARNING in dmirror_do_fault | a known warning of this test | SuiteSessionTest\n");
        Scripts s = new Scripts()
                .add(script(plan(), start("t.a"), corpus("0004"),
                        List.of(new Result(ResultRecord.of(Kind.END, "t.a", "PASS", "12", "").encode())), start("t.b"),
                        corpus("0017")), 0)
                .add(script(plan(), pass("t.c"), List.of(done())), 0);
        SessionResults r = run(s, KnownIssues.read(file), Duration.ofSeconds(30));
        assertThat(statuses(r)).containsExactly(Map.entry("t.a", TestStatus.PASS),
                Map.entry("t.b", TestStatus.CRASHED), Map.entry("t.c", TestStatus.PASS));
        assertThat(r.knownIssues()).singleElement().satisfies(k -> assertThat(k.test()).isEqualTo("t.a"));
        assertThat(r.crashes()).singleElement().satisfies(c -> {
            assertThat(c.test()).isEqualTo("t.b");
            assertThat(c.title()).isEqualTo("BUG: sleeping function called from invalid context in dmirror_atomic_map");
            assertThat(c.taint()).contains("W");
        });
    }

    @Test
    void aSoftLockupAfterAGuestClockJumpIsAnInfrastructureEventAndTheTestRunsAgain() throws IOException {
        List<Step> jumped = hmmtest.console.ClockCheckTest.jumpedConsole().stream().map(l -> (Step) new Console(l)).toList();
        Scripts s = new Scripts()
                .add(script(plan(), pass("t.a"), start("t.b"), jumped), null)
                .add(script(plan(), pass("t.b"), pass("t.c"), List.of(done())), 0);
        SessionResults r = run(s, KnownIssues.none(), Duration.ofSeconds(30));
        assertThat(statuses(r).values()).containsOnly(TestStatus.PASS);
        assertThat(r.crashes()).isEmpty();
        assertThat(r.infrastructure()).singleElement().satisfies(e -> {
            assertThat(e.test()).isEqualTo("t.b");
            assertThat(e.title()).isEqualTo("BUG: soft lockup in hmm_vma_walk_pmd");
            assertThat(e.reason()).contains("claims 2753 s, but this VM has run for");
        });
        assertThat(s.from).containsExactly(0, 1);
        assertThat(r.incomplete()).isNull();
    }

    /** 2026-12-04: QEMU stopped for 45 s mid-fuzz made the watchdog claim "stuck for 45s" on resume. */
    @Test
    void aSoftLockupWhileTheHostHadStoppedTheVmIsAnInfrastructureEvent() throws IOException {
        List<Step> lockup = new ArrayList<>();
        for (Step st : corpus("0007")) {
            lockup.add(st instanceof Console c ? new Console(c.line().replace("stuck for 26s!", "stuck for 45s!")) : st);
        }
        Scripts s = new Scripts()
                // the report stays open for 90 s of later lines (seen on a real run): judged when it began
                .add(script(plan(), pass("t.a"), start("t.b"), List.of(new Advance(Duration.ofSeconds(30)),
                        new Freeze(Duration.ofSeconds(45))), lockup.subList(0, lockup.size() / 2),
                        List.of(new Advance(Duration.ofSeconds(90))), lockup.subList(lockup.size() / 2, lockup.size())), null)
                .add(script(plan(), pass("t.b"), pass("t.c"), List.of(done())), 0);
        SessionResults r = run(s, KnownIssues.none(), Duration.ofSeconds(300));
        assertThat(r.crashes()).isEmpty();
        assertThat(r.infrastructure()).singleElement().satisfies(e ->
                assertThat(e.reason()).contains("claims 45 s, but QEMU got no CPU for 4"));
        assertThat(statuses(r).values()).containsOnly(TestStatus.PASS);
    }

    @Test
    void aGenuineSoftLockupInALongLivedVmIsStillACrash() throws IOException {
        Scripts s = new Scripts()
                .add(script(plan(), pass("t.a"), start("t.b"), List.of(new Advance(Duration.ofSeconds(70))),
                        corpus("0007")), null)
                .add(script(plan(), pass("t.c"), List.of(done())), 0);
        SessionResults r = run(s, KnownIssues.none(), Duration.ofSeconds(30));
        assertThat(statuses(r)).containsEntry("t.b", TestStatus.CRASHED);
        assertThat(r.infrastructure()).isEmpty();
        assertThat(r.crashes()).singleElement().satisfies(c -> assertThat(c.kind()).isEqualTo("SOFT_LOCKUP"));
    }

    @Test
    void aHostThatKeepsJumpingEndsTheSessionAsIncompleteNotAsCrashes() throws IOException {
        List<Step> jumped = hmmtest.console.ClockCheckTest.jumpedConsole().stream().map(l -> (Step) new Console(l)).toList();
        Scripts s = new Scripts();
        for (int i = 0; i <= SuiteSession.MAX_INFRA_IN_A_ROW; i++) {
            s.add(script(plan(), start("t.a"), jumped), null);
        }
        SessionResults r = run(s, KnownIssues.none(), Duration.ofSeconds(30));
        assertThat(r.crashes()).isEmpty();
        assertThat(r.infrastructure()).hasSize(SuiteSession.MAX_INFRA_IN_A_ROW + 1);
        assertThat(r.incomplete()).startsWith("infrastructure: 3 VMs in a row");
        assertThat(statuses(r).values()).containsOnly(TestStatus.NOT_RUN);
    }

    @Test
    void aTestThatNeverEndsIsAHangAfterThePerTestTimeout() {
        Scripts s = new Scripts()
                .add(script(plan(), pass("t.a"), start("t.b"), List.of(new Stall(Duration.ofSeconds(20)))), null)
                .add(script(plan(), pass("t.c"), List.of(done())), 0);
        long t0 = System.nanoTime();
        SessionResults r = run(s, KnownIssues.none(), Duration.ofMillis(300));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("ended by the per-test timeout").isLessThan(Duration.ofSeconds(10));
        assertThat(statuses(r)).containsExactly(Map.entry("t.a", TestStatus.PASS),
                Map.entry("t.b", TestStatus.CRASHED), Map.entry("t.c", TestStatus.PASS));
        assertThat(r.crashes()).singleElement().satisfies(c -> {
            assertThat(c.test()).isEqualTo("t.b");
            assertThat(c.kind()).isEqualTo("HANG");
            assertThat(c.title()).startsWith("hang: test exceeded the per-test timeout");
        });
        assertThat(s.vms.get(0).sysrq).as("task dump asked for").containsExactly('w', 'l');
    }

    @Test
    void aGuestThatExitsWithoutItsLastRecordsCrashesTheTestInFlight() {
        Scripts s = new Scripts()
                .add(script(plan(), pass("t.a"), start("t.b")), 0)
                .add(script(plan(), pass("t.c"), List.of(done())), 0);
        SessionResults r = run(s, KnownIssues.none(), Duration.ofSeconds(30));
        assertThat(statuses(r)).containsExactly(Map.entry("t.a", TestStatus.PASS),
                Map.entry("t.b", TestStatus.CRASHED), Map.entry("t.c", TestStatus.PASS));
        assertThat(r.crashes()).singleElement().satisfies(c -> {
            assertThat(c.test()).isEqualTo("t.b");
            assertThat(c.title()).startsWith("guest died without a kernel report");
        });
    }

    @Test
    void aRecordCutShortIsReportedAndTheOtherOutcomesStand() {
        String end = ResultRecord.of(Kind.END, "t.b", "PASS", "12", "").encode();
        Scripts s = new Scripts()
                .add(script(plan(), pass("t.a"), start("t.b"), List.of(new Result(end.substring(0, 4)))), 0)
                .add(script(plan(), pass("t.c"), List.of(done())), 0);
        SessionResults r = run(s, KnownIssues.none(), Duration.ofSeconds(30));
        assertThat(statuses(r)).containsExactly(Map.entry("t.a", TestStatus.PASS),
                Map.entry("t.b", TestStatus.CRASHED), Map.entry("t.c", TestStatus.PASS));
        assertThat(r.notes()).containsKey("malformed-records");
        assertThat(r.notes().get("malformed-records").values()).containsExactly(end.substring(0, 4));
    }

    @Test
    void aVmThatNeverStartsTheHarnessEndsTheSessionWithEveryTestNotRun() throws IOException {
        Scripts s = new Scripts().add(corpus("0020"), 0);
        SessionResults r = run(s, KnownIssues.none(), Duration.ofSeconds(30));
        assertThat(r.incomplete()).startsWith("VM 1: the kernel never reached the guest harness: kernel panic");
        assertThat(r.bootFailure()).isNotNull();
        assertThat(r.vms()).hasSize(1);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
