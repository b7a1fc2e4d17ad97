package hmmtest.console;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.console.CrashReport.Completion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The live rules: when a crash starts, when it is complete, and what flush() does. */
class ConsoleMonitorTest {

    /** Records which console line was the latest when each event fired. */
    private static final class Events implements CrashListener {
        ConsoleMonitor monitor;
        final List<String> log = new ArrayList<>();
        final List<CrashReport> reports = new ArrayList<>();

        @Override
        public void crashStarted(CrashStart start) {
            log.add("start@" + (monitor.linesSeen() - 1) + " " + start.provisionalTitle());
        }

        @Override
        public void crashCompleted(CrashReport report) {
            log.add("complete@" + (monitor.linesSeen() - 1) + " " + report.completion());
            reports.add(report);
        }
    }

    private static Events monitor(int maxLines, int maxTrailer) {
        Events events = new Events();
        events.monitor = new ConsoleMonitor(events, maxLines, maxTrailer);
        return events;
    }

    private static Events feed(Events events, List<String> lines) {
        lines.forEach(events.monitor::onLine);
        return events;
    }

    private static List<String> oops() {
        return List.of(
                "[    5.000000] hmm_dmirror: hmm_dmirror0 registered",                // 0
                "[    5.100000] BUG: kernel NULL pointer dereference, address: 0000000000000000",
                "[    5.100001] Oops: Oops: 0002 [#1] SMP NOPTI",
                "[    5.100002] RIP: 0010:make_device_exclusive+0x131/0x146",
                "[    5.100003] Call Trace:",
                "[    5.100004]  <TASK>",                                          // 5
                "[    5.100005]  dmirror_fops_unlocked_ioctl+0x4b5/0x9a0 [test_hmm]",
                "[    5.100006]  </TASK>",
                "[    5.100007] ---[ end trace 0000000000000000 ]---",
                "[    5.100008] RIP: 0010:make_device_exclusive+0x131/0x146");         // 9
    }

    @Test
    void startsAtTheHeaderAndWaitsForThePanicEndMarker() {
        List<String> lines = new ArrayList<>(oops());
        lines.add("[    5.100009] Kernel panic - not syncing: Fatal exception");       // 10
        lines.add("[    5.100010] Kernel Offset: disabled");
        lines.add("[    5.100011] ---[ end Kernel panic - not syncing: Fatal exception ]---");  // 12
        Events events = feed(monitor(200, 40), lines);

        assertThat(events.log).containsExactly(
                "start@1 BUG: kernel NULL pointer dereference",
                "complete@12 END_MARKER");
        CrashReport r = events.reports.get(0);
        assertThat(r.title()).isEqualTo("BUG: kernel NULL pointer dereference in make_device_exclusive");
        assertThat(r.panicked()).isTrue();
        assertThat(r.fatal()).isTrue();
        assertThat(r.startLine()).isEqualTo(1);
        assertThat(r.endLine()).isEqualTo(12);
        assertThat(events.monitor.inCrash()).isFalse();
    }

    @Test
    void anOopsWithoutPanicCompletesAtTheFirstLineAfterItsTrailer() {
        Events events = feed(monitor(200, 40), oops());
        assertThat(events.monitor.inCrash()).isTrue();
        assertThat(events.reports).isEmpty();

        events.monitor.onLine("[    6.000000] hmm_dmirror: hmm_dmirror0: release");   // 10
        assertThat(events.log).containsExactly(
                "start@1 BUG: kernel NULL pointer dereference",
                "complete@10 END_MARKER");
        CrashReport r = events.reports.get(0);
        assertThat(r.endLine()).isEqualTo(9);
        assertThat(r.panicked()).isFalse();
        assertThat(r.fatal()).isTrue();
    }

    @Test
    void flushCompletesWhenTheConsoleGoesQuiet() {
        Events events = feed(monitor(200, 40), oops());
        events.monitor.flush();
        assertThat(events.log).containsExactly(
                "start@1 BUG: kernel NULL pointer dereference",
                "complete@9 END_MARKER");
        events.monitor.flush();
        assertThat(events.reports).hasSize(1);
    }

    @Test
    void aReportCutShortIsFlushed() {
        Events events = feed(monitor(200, 40), oops().subList(0, 5));
        events.monitor.flush();
        assertThat(events.reports).singleElement()
                .satisfies(r -> assertThat(r.completion()).isEqualTo(Completion.FLUSHED))
                .satisfies(r -> assertThat(r.title()).endsWith("in make_device_exclusive"));
    }

    @Test
    void aNewHeaderCompletesTheOpenReport() {
        Events events = feed(monitor(200, 40), List.of(
                "------------[ cut here ]------------",
                "WARNING: CPU: 0 PID: 93 at lib/test_hmm.c:226 dmirror_do_fault+0x1a2/0x2c0 [test_hmm]",
                "RIP: 0010:dmirror_do_fault+0x1a2/0x2c0 [test_hmm]",
                "BUG: kernel NULL pointer dereference, address: 0000000000000000",
                "RIP: 0010:make_device_exclusive+0x131/0x146"));
        events.monitor.flush();
        assertThat(events.log).containsExactly(
                "start@1 WARNING in dmirror_do_fault",
                "complete@3 NEXT_REPORT",
                "start@3 BUG: kernel NULL pointer dereference",
                "complete@4 FLUSHED");
        assertThat(events.reports).extracting(CrashReport::title).containsExactly(
                "WARNING in dmirror_do_fault", "BUG: kernel NULL pointer dereference in make_device_exclusive");
        assertThat(events.reports.get(0).startLine()).isZero();
    }

    @Test
    void theLineCapCompletesReportsThatNeverEnd() {
        List<String> lines = new ArrayList<>(List.of(
                "rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:",
                "RIP: 0010:dmirror_do_read+0x6d/0x1b0 [test_hmm]"));
        for (int i = 0; i < 20; i++) {
            lines.add("rcu: \tTasks blocked on level-0 rcu_node (CPUs 0-1): P" + i);
        }
        Events events = feed(monitor(10, 40), lines);
        assertThat(events.log).containsExactly(
                "start@0 INFO: rcu detected stall",
                "complete@9 LINE_LIMIT");
        assertThat(events.reports.get(0).excerpt()).hasSize(10);
        assertThat(events.reports.get(0).title()).isEqualTo("INFO: rcu detected stall in dmirror_do_read");
    }

    @Test
    void theTrailerIsCapped() {
        List<String> lines = new ArrayList<>(oops());
        for (int i = 0; i < 10; i++) {
            lines.add("");
        }
        Events events = feed(monitor(200, 3), lines);
        assertThat(events.log).containsExactly(
                "start@1 BUG: kernel NULL pointer dereference",
                "complete@11 END_MARKER");
        assertThat(events.reports.get(0).endLine()).isEqualTo(9);
    }

    @Test
    void chunksAreSplitIntoLinesAndFlushTakesThePartialOne() {
        Events events = monitor(200, 40);
        events.monitor.accept("[    1.0] hmm_dmirror: ok\n[    1.1] Kernel panic - not sync");
        assertThat(events.monitor.inCrash()).isFalse();
        events.monitor.accept("ing: sysrq triggered crash\r\n[    1.2] CPU: 0 UID: 0 PID: 1");
        assertThat(events.monitor.inCrash()).isTrue();
        events.monitor.accept("01 Comm: sh Not tainted 7.3.4 #1\n---[ end Kernel panic - not syncing: sysrq");
        events.monitor.flush();
        assertThat(events.reports).singleElement().satisfies(r -> {
            assertThat(r.title()).isEqualTo("kernel panic: sysrq triggered crash");
            assertThat(r.completion()).isEqualTo(Completion.END_MARKER);
            assertThat(r.pid()).hasValue(101);
            assertThat(r.taint()).hasValue("");
        });
    }

    @Test
    void otherPrintkCallersAreLeftOutOfTheExcerpt() {
        CorpusFile file = CorpusTest.corpus().stream()
                .filter(f -> f.path().getFileName().toString().equals("0015"))
                .findFirst().orElseThrow();
        CrashReport r = ConsoleParser.parse(file.console()).get(0);
        assertThat(r.callerId()).hasValue("T93");
        assertThat(r.excerpt()).noneMatch(l -> l.contains("migrate 64 pages") || l.contains("virtio_blk") || l.contains("still running"));
        assertThat(r.pid()).hasValue(93);
    }

    @Test
    void reportsTaintFromTheCpuLine() {
        List<CrashReport> reports = ConsoleParser.parse(List.of(
                "BUG: sleeping function called from invalid context at kernel/locking/mutex.c:580",
                "CPU: 0 UID: 0 PID: 93 Comm: java Tainted: G        W          7.3.4 #1 PREEMPT(voluntary)",
                "Call Trace:",
                " <TASK>",
                " dmirror_atomic_map+0x9e/0x1f0 [test_hmm]",
                " </TASK>"));
        assertThat(reports).singleElement().satisfies(r -> {
            assertThat(r.taint()).hasValue("GW");
            assertThat(r.comm()).hasValue("java");
            assertThat(r.completion()).isEqualTo(Completion.END_MARKER);
        });
    }
}
