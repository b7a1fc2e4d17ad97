package hmmtest.session;

import hmmtest.vm.Vm;

import hmmtest.console.KnownIssues;

import hmmtest.console.ClockCheck;
import hmmtest.console.ConsoleMonitor;
import hmmtest.console.CrashListener;
import hmmtest.console.CrashReport;
import hmmtest.console.CrashStart;
import hmmtest.infra.Exec;
import hmmtest.infra.Progress;
import hmmtest.protocol.ResultRecord;
import hmmtest.protocol.TestMarker;
import hmmtest.results.RunResults;
import hmmtest.results.TestOutcome;
import hmmtest.results.TestStatus;
import hmmtest.protocol.WorkOrder;
import hmmtest.vm.Machine;
import hmmtest.vm.VmLauncher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the planned tests across as many VMs as it takes. The kernel console is watched live;
 * an oops, panic, BUG or WARNING, a hang (the hung-task detector or the per-test timeout), or a
 * guest that dies is pinned on the test in flight, the VM is torn down, and a fresh VM carries on
 * with the next test. Every planned test ends with an outcome.
 */
public final class SuiteSession {

    /**
     * What to boot ({@code machine}: kernel, image, command line without session parts, snapshots)
     * and how; {@code vms} starts each VM (QEMU through {@link VmLauncher}, or a script in tests).
     */
    public record Config(Machine machine, String select, Timeouts timeouts, Path dir, boolean verbose, KnownIssues known,
            VmSource vms, Duration dumpGrace) {
        public Config(Machine machine, String select, Timeouts timeouts, Path dir, boolean verbose, KnownIssues known) {
            this(machine, select, timeouts, dir, verbose, known,
                    (order, vmDir, listener, bootTimeout, abort) -> VmLauncher.launch(machine, order, vmDir, listener,
                            bootTimeout, abort), DUMP_GRACE);
        }
    }

    /** Starts one VM of the session for a work order: the seam between the session and the VM layer. */
    @FunctionalInterface
    public interface VmSource {
        VmLauncher.Launched launch(WorkOrder order, Path dir, Vm.Listener listener, Duration bootTimeout,
                java.util.function.BooleanSupplier abort) throws java.io.IOException;

        /**
         * Why no further VM can be started after the first, or null (QEMU: always can). A recorded
         * VM (a LAVA job's) is the only one there is: the tests after a crash did not run.
         */
        default String noFurtherVm() {
            return null;
        }
    }

    /** Every VM this process starts for a session is numbered; crashprobe.flaky_panic crashes on odd ones. */
    static final java.util.concurrent.atomic.AtomicInteger VM_SERIAL = new java.util.concurrent.atomic.AtomicInteger();
    static final String SERIAL_FILE = "etc/hmmtest/vm-serial";

    /** VMs in a row the infrastructure may end before the session gives up (the host is not fit to test on). */
    static final int MAX_INFRA_IN_A_ROW = 2;

    /** Console lines kept per VM for excerpts (an OOM report takes about 70 lines with its task list). */
    static final int CONSOLE_TAIL = 200;
    /** Lines of the console's end that show a boot that failed without a kernel report. */
    static final int BOOT_EXCERPT = 30;
    /** The guest kernel's OOM killer at work: "Out of memory: Killed process 73 (java) total-vm:...". */
    static final Pattern OOM_KILL = Pattern.compile("Out of memory(?: \\(oom_kill_allocating_task\\))?: (Killed process \\d+ \\([^)]*\\))");
    /** Phase records the guest's init script writes before it starts the harness. */
    static final java.util.Set<String> INIT_PHASES = java.util.Set.of("init", "module-loaded");

    static String signalName(int signal) {
        String name = switch (signal) {
            case 9 -> "SIGKILL";
            case 15 -> "SIGTERM";
            case 6 -> "SIGABRT";
            case 11 -> "SIGSEGV";
            case 7 -> "SIGBUS";
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            default -> null;
        };
        return "signal " + signal + (name != null ? " (" + name + ")" : "");
    }

    /** Sleep after a sysrq task dump request before the VM is killed, so the dump reaches the log. */
    static final Duration DUMP_GRACE = Duration.ofSeconds(5);

    private final Config config;
    private final SessionResults session = new SessionResults();
    /** Numbers this session's VMs (vm-N directories): 1, 2, ... unless VMs of parallel sessions share a directory. */
    private final java.util.function.IntSupplier vmNumbers;

    public SuiteSession(Config config) {
        this(config, new java.util.concurrent.atomic.AtomicInteger()::incrementAndGet);
    }

    /** A session whose VMs are numbered by {@code vmNumbers} (unique across the sessions of one results directory). */
    SuiteSession(Config config, java.util.function.IntSupplier vmNumbers) {
        this.config = config;
        this.vmNumbers = vmNumbers;
    }

    public SessionResults run() {
        long deadline = System.nanoTime() + config.timeouts().wholeRun().toNanos();
        int from = 0;
        long crashDetectedAt = 0;
        int infraInARow = 0;
        for (boolean first = true; ; first = false) {
            int vm = vmNumbers.getAsInt();
            OneVm one = new OneVm(vm, first, from, deadline, crashDetectedAt);
            one.run();
            if (Exec.exiting()) { // Ctrl-C or SIGTERM: QEMU was stopped by us, not by the kernel
                session.incomplete = "interrupted (SIGINT/SIGTERM) during VM " + vm;
                markRemaining("not run: " + session.incomplete);
                break;
            }
            crashDetectedAt = one.endedAt;
            if (one.killedBySignal != null) {
                // QEMU itself died of a signal (kill -9 from outside, the host's OOM killer, a QEMU
                // crash): the machine went away, not the kernel. Nothing is pinned on the test in
                // flight, and no fresh VM is started under whatever is killing them.
                String inFlight = one.results.inFlight();
                session.incomplete = "VM " + vm + ": QEMU was killed by " + one.killedBySignal
                        + " (not by the guest kernel)" + (inFlight != null ? " during " + inFlight : " between tests")
                        + "; the session stopped there";
                session.infrastructureFailure = true;
                Progress.always("[session] " + session.incomplete);
                markRemaining("not run: " + session.incomplete);
                break;
            }
            if (!one.harnessStarted && one.results.guestExit() == null) {
                // The kernel never got as far as the guest harness (panic in early boot, init that
                // cannot run, silence): no test can be blamed and no next VM would do better.
                bootFailure(one);
                break;
            }
            String victim = one.victim();
            one.forgetTestsAfterCrash();
            if (one.infra != null) {
                session.infrastructure.add(one.infra);
                if (++infraInARow > MAX_INFRA_IN_A_ROW) {
                    session.incomplete = "infrastructure: " + infraInARow + " VMs in a row ended by the host, not the"
                            + " kernel (" + one.infra.reason() + ")";
                    markRemaining("not run: " + session.incomplete);
                    break;
                }
                int next = nextUnrun();
                if (next >= session.plan.size()) {
                    break;
                }
                if (noFurtherVm()) {
                    break;
                }
                Progress.info("session", "VM " + vm + " ended by an infrastructure event, not a kernel crash ("
                        + one.infra.reason() + "); " + (victim == null ? "" : victim + " runs again; ")
                        + "continuing in a fresh VM from test " + (next + 1) + "/" + session.plan.size());
                from = next;
                continue;
            }
            infraInARow = 0;
            CrashRecord crash = one.crash(victim);
            if (crash != null) {
                session.crashes.add(crash);
                if (victim != null) {
                    session.outcomes.put(victim, new TestOutcome(victim, TestStatus.CRASHED, one.inFlightMillis(),
                            crash.title()));
                    Progress.always(ProgressLines.testLine(session.outcomes.get(victim)));
                }
            }
            if (crash == null && one.results.guestExit() != null) {
                break; // the guest ran its plan to the end on a healthy kernel
            }
            int next = nextUnrun();
            String why = crash != null ? crash.title() : one.ending;
            if (session.plan.isEmpty() || (!one.progressed() && victim == null)) {
                session.incomplete = "VM " + vm + " ended before any test ran: " + why;
                markRemaining("not run: " + session.incomplete);
                break;
            }
            if (next >= session.plan.size()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                session.incomplete = "whole-run deadline of " + config.timeouts().wholeRun().toSeconds() + " s passed";
                markRemaining("not run: " + session.incomplete);
                break;
            }
            if (noFurtherVm()) {
                break;
            }
            Progress.info("session", String.format(Locale.ROOT, "VM %d ended (%s); continuing in a fresh VM from test"
                    + " %d/%d (%s)", vm, why, next + 1, session.plan.size(), session.plan.get(next)));
            from = next;
        }
        return session;
    }

    /** A source of one VM only (a LAVA job's) has none for the rest: they did not run, for the reason it gives. */
    private boolean noFurtherVm() {
        String why = config.vms().noFurtherVm();
        if (why == null) {
            return false;
        }
        session.incomplete = why;
        markRemaining("not run: " + why);
        return true;
    }

    /** Records why VM {@code one} never reached the guest harness, with the console lines that show it. */
    private void bootFailure(OneVm one) {
        CrashRecord report = one.crash(null);
        String why = report != null && !report.kind().equals("HANG") ? report.title() : one.ending;
        List<String> tail = one.consoleTail();
        List<String> excerpt = report != null && !report.excerpt().isEmpty() && !report.kind().equals("HANG")
                ? report.excerpt() : tail.subList(Math.max(0, tail.size() - BOOT_EXCERPT), tail.size());
        if (report != null && !report.kind().equals("HANG") && !report.kind().equals("OOM")) {
            // The kernel's own report (a panic while booting) stays a crash, pinned on no test: validate
            // then tells a patched kernel that no longer boots from a base that does.
            session.crashes.add(report);
        }
        session.bootFailure = new SessionResults.BootFailure(one.index, why, excerpt,
                config.dir().resolve("vm-" + one.index).resolve("console.log").toString());
        session.incomplete = "VM " + one.index + ": the kernel never reached the guest harness: " + why;
        session.infrastructureFailure = true;
        StringBuilder msg = new StringBuilder("[session] " + session.incomplete + "\n  console ("
                + session.bootFailure.console() + "), last lines:");
        excerpt.forEach(l -> msg.append("\n  | ").append(l));
        Progress.always(msg.toString());
        markRemaining("not run: " + session.incomplete);
    }

    private int nextUnrun() {
        for (int i = 0; i < session.plan.size(); i++) {
            if (!session.outcomes.containsKey(session.plan.get(i))) {
                return i;
            }
        }
        return session.plan.size();
    }

    private void markRemaining(String reason) {
        for (String id : session.plan) {
            session.outcomes.putIfAbsent(id, new TestOutcome(id, TestStatus.NOT_RUN, 0, reason));
        }
    }

    /** One VM: boot, stream, watch, stop. */
    private final class OneVm implements CrashListener {
        final int index;
        /** The session's first VM: the plan it announces is the session's plan. */
        final boolean first;
        final int from;
        final long deadline;
        final long previousCrashAt;
        final RunResults results = new RunResults();
        final List<CrashReport> reports = Collections.synchronizedList(new ArrayList<>());
        final List<String> dump = Collections.synchronizedList(new ArrayList<>());
        boolean dumping;
        long dumpUntil;
        // Test boundaries as the kernel console saw them (the guest writes them to /dev/kmsg).
        final CrashAttribution attribution = new CrashAttribution();
        // Stall claims against the host's time: a guest clock jump is not a kernel bug.
        final ClockCheck clock = new ClockCheck();
        InfraEvent infra;
        long inFlightSince;
        boolean anyRecord;
        int ended;
        String ending = "guest finished";
        String hangTitle;
        long endedAt;
        Vm vm;
        final long startedAt = System.nanoTime();
        /** The guest harness (the JVM) reported in: anything beyond init's own phase records. */
        volatile boolean harnessStarted;
        /** "signal 9 (SIGKILL)" when QEMU died of a signal that the harness did not send. */
        String killedBySignal;
        /** The kernel's "Out of memory: Killed process N (comm)" line, if its OOM killer acted. */
        volatile String oomKill;
        private final java.util.ArrayDeque<String> tail = new java.util.ArrayDeque<>();

        /** The last console lines of this VM (the excerpt of a boot that never reached the harness). */
        List<String> consoleTail() {
            synchronized (tail) {
                return List.copyOf(tail);
            }
        }

        /** Host time since this VM's QEMU was started (records can arrive while the launcher still starts it). */
        java.time.Duration sinceStart() {
            return java.time.Duration.ofNanos(System.nanoTime() - startedAt);
        }

        /** Host seconds since this VM started, by the VM's own clock once it runs. */
        double hostSeconds() {
            Vm v = vm;
            return (v != null ? v.sinceStart() : sinceStart()).toMillis() / 1000.0;
        }

        OneVm(int index, boolean first, int from, long deadline, long previousCrashAt) {
            this.index = index;
            this.first = first;
            this.from = from;
            this.deadline = deadline;
            this.previousCrashAt = previousCrashAt;
        }

        boolean progressed() {
            return ended > 0;
        }

        /** The test a crash is pinned on: by console order for a kernel report, else the one in flight. */
        String victim() {
            return attribution.victim(results.inFlight());
        }

        /** Tests that started after the report began ran on a broken kernel: they run again in the next VM. */
        void forgetTestsAfterCrash() {
            for (String id : attribution.startedAfterReport()) {
                if (session.outcomes.remove(id) != null) {
                    ended--;
                    Progress.info("session", "result of " + id + " discarded: it ran after the kernel report began");
                }
            }
        }

        long inFlightMillis() {
            return (System.nanoTime() - inFlightSince) / 1_000_000;
        }

        void run() {
            int serial = VM_SERIAL.incrementAndGet();
            // The serial only travels with crash-probe selections: files make a cold boot copy the image.
            WorkOrder order = WorkOrder.suite(config.select(), null, from);
            if (config.select() != null && config.select().contains(hmmtest.protocol.TestSelection.PROBE_PREFIX)) {
                order = order.withFile(SERIAL_FILE, Integer.toString(serial).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            Path dir = config.dir().resolve("vm-" + index);
            ConsoleMonitor monitor = new ConsoleMonitor(this);
            Vm.Listener listener = new Vm.Listener() {
                @Override
                public void consoleLine(String line) {
                    clock.line(line, hostSeconds());
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > CONSOLE_TAIL) {
                            tail.removeFirst();
                        }
                    }
                    Matcher oom = OOM_KILL.matcher(line);
                    if (oom.find()) {
                        oomKill = oom.group(1).trim();
                    }
                    TestMarker.find(line).ifPresent(m -> attribution.marker(m.start(), m.test()));
                    monitor.onLine(line);
                    if (dumping) {
                        dump.add(line);
                    }
                    if (config.verbose()) {
                        System.out.println("  | " + line);
                    }
                }

                @Override
                public void resultLine(String line) {
                    ResultRecord r = ResultRecord.decode(line);
                    if (r != null) {
                        onRecord(r);
                    } else {
                        malformedRecord(line);
                    }
                }
            };
            Progress.info("vm", "VM " + index + ": start" + (from > 0 ? " (from test " + (from + 1) + ")" : "")
                    + "; console " + dir.resolve("console.log"));
            VmLauncher.Start start;
            try (VmLauncher.Launched launched = launch(order, dir, listener)) {
                vm = launched.vm();
                start = launched.start();
                Vm running = vm;
                Vm.Exit exit = running.await(config.timeouts().wholeRun(), listener, this::shouldStop);
                endedAt = System.nanoTime();
                running.close(); // QEMU gone, console drained: the monitor has seen every line
                monitor.flush();
                if (!reports.isEmpty()) {
                    ending = "kernel report: " + reports.get(0).title();
                } else if (exit.exitCode() != null && exit.exitCode() > 128 && !Exec.exiting()) {
                    killedBySignal = signalName(exit.exitCode() - 128);
                    ending = "QEMU was killed by " + killedBySignal;
                } else if (exit.exitCode() != null && results.guestExit() == null) {
                    ending = (oomKill != null ? "the guest ran out of memory (" + oomKill + "); " : "")
                            + "QEMU exited (" + exit.exitCode() + ") without the guest finishing";
                }
            }
            session.vms.add(new VmRun(index, results, ending, sinceStart().toMillis() / 1000.0, start));
            Progress.info("vm", "VM " + index + " " + start.describe() + "; phases: " + ProgressLines.phases(results));
        }

        private VmLauncher.Launched launch(WorkOrder order, Path dir, Vm.Listener listener) {
            try {
                return config.vms().launch(order, dir, listener, config.timeouts().boot(),
                        () -> !reports.isEmpty() || Exec.exiting());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** A result line that does not decode: cut short by a dying VM, or garbled. Kept in the notes. */
        private void malformedRecord(String line) {
            String shown = line.length() > 200 ? line.substring(0, 200) + "..." : line;
            Progress.info("vm", "VM " + index + ": malformed result record ignored: " + shown);
            session.notes.computeIfAbsent("malformed-records", k -> new java.util.LinkedHashMap<>())
                    .put("vm-" + index + "#" + session.notes.getOrDefault("malformed-records", java.util.Map.of()).size(), shown);
        }

        private void onRecord(ResultRecord r) {
            anyRecord = true;
            if (!(r.kind() == ResultRecord.Kind.PHASE && INIT_PHASES.contains(r.field(0)))
                    && !(r.kind() == ResultRecord.Kind.INFO && r.field(0).equals("insmod-failed"))) {
                harnessStarted = true;
            }
            switch (r.kind()) {
                case PLAN -> {
                    if (first || session.plan.isEmpty()) {
                        int i = Integer.parseInt(r.field(0));
                        while (session.plan.size() <= i) {
                            session.plan.add(null);
                        }
                        session.plan.set(i, r.field(1));
                    }
                }
                case INFO -> session.info.putIfAbsent(r.field(0), r.field(1));
                case GCDA -> hmmtest.coverage.GcdaStore.write(config.dir().resolve("vm-" + index), r);
                case UPSTREAM -> session.upstreamLines.add(r.field(0));
                case NOTE -> session.notes.computeIfAbsent(r.field(0), k -> new java.util.LinkedHashMap<>())
                        .put(r.field(1), r.field(2));
                case START -> {
                    inFlightSince = System.nanoTime();
                    if (previousCrashAt != 0 && session.recoverySeconds.size() < session.crashes.size()) {
                        session.recoverySeconds.add((inFlightSince - previousCrashAt) / 1e9);
                    }
                }
                default -> { }
            }
            results.apply(r, sinceStart(), o -> {
                ended++;
                session.outcomes.put(o.id(), o);
                Progress.always(ProgressLines.testLine(o));
            });
        }

        /** Polled by Vm.await (QEMU: every 20 ms), on the thread that receives every line. */
        private boolean shouldStop() {
            Vm v = vm;
            if (v != null) {
                clock.cpu(hostSeconds(), () -> v.cpuTime().toMillis() / 1000.0); // read only when a sample is due
            }
            if (infra != null) {
                ending = "infrastructure: " + infra.reason();
                return true;
            }
            if (dumpUntil != 0) { // a hang's task dump is being printed: keep reading it until the grace ends
                if (System.nanoTime() < dumpUntil) {
                    return false;
                }
                dumping = false;
                return true;
            }
            if (!reports.isEmpty()) {
                ending = "kernel report: " + reports.get(0).title();
                return true;
            }
            long now = System.nanoTime();
            if (!anyRecord && sinceStart().compareTo(config.timeouts().boot()) > 0) {
                ending = "no sign of the guest harness within the boot timeout of "
                        + config.timeouts().boot().toSeconds() + " s";
                return true;
            }
            if (results.inFlight() != null && !attribution.inReport()
                    && now - inFlightSince > config.timeouts().perTest().toNanos()) {
                hangTitle = "hang: test exceeded the per-test timeout of " + config.timeouts().perTest().toSeconds() + " s";
                ending = hangTitle;
                taskDump();
                return config.dumpGrace().isZero();
            }
            if (now > deadline) {
                ending = "whole-run deadline";
                hangTitle = "hang: whole-run deadline passed during the test";
                taskDump();
                return config.dumpGrace().isZero();
            }
            return false;
        }

        /**
         * Asks the kernel for blocked tasks and CPU backtraces (sysrq w, l); what it prints during the
         * dump grace is kept (shouldStop lets the VM run until then; the lines arrive on this thread).
         */
        private void taskDump() {
            dumping = true;
            vm.sysrq('w');
            vm.sysrq('l');
            dumpUntil = System.nanoTime() + config.dumpGrace().toNanos();
            if (config.dumpGrace().isZero()) {
                dumping = false;
            }
        }

        CrashRecord crash(String victim) {
            double secs = sinceStart().toMillis() / 1000.0;
            synchronized (reports) {
                if (!reports.isEmpty()) {
                    return CrashRecord.of(reports.get(0), victim, index, List.copyOf(dump), secs);
                }
            }
            if (hangTitle != null) {
                return CrashRecord.hang(victim, index, hangTitle, List.copyOf(dump), secs);
            }
            if (results.guestExit() == null && oomKill != null) {
                // Not a kernel bug: the guest ran out of memory and the OOM killer took the harness.
                return new CrashRecord(victim, index, "OOM", "out of memory: the guest kernel's OOM killer "
                        + oomKill.replaceFirst("^Killed", "killed"), List.of(), true, false, "", "",
                        oomExcerpt(), List.of(), secs);
            }
            if (results.guestExit() == null) {
                List<String> tail = consoleTail();
                return CrashRecord.hang(victim, index, "guest died without a kernel report (" + ending + ")",
                        tail.subList(Math.max(0, tail.size() - BOOT_EXCERPT), tail.size()), secs);
            }
            return null;
        }

        /** The OOM report's lines: from "invoked oom-killer" to the kill, or the console tail. */
        private List<String> oomExcerpt() {
            List<String> lines = consoleTail();
            int from = 0;
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).contains("invoked oom-killer")) {
                    from = i;
                    break;
                }
            }
            return List.copyOf(lines.subList(from, lines.size()));
        }

        @Override
        public void crashStarted(CrashStart start) {
            clock.reportStarted(hostSeconds());
            if (start.provisionalTitle() != null && config.known() != null && isKnownProvisional(start)) {
                return; // decided on completion; a known WARNING must not pin or discard anything
            }
            attribution.reportStarted();
            Progress.info("vm", "VM " + index + ": kernel report starting: " + start.provisionalTitle());
        }

        @Override
        public void crashCompleted(CrashReport report) {
            var impossible = clock.impossible(report, hostSeconds());
            if (impossible.isPresent()) {
                if (infra == null) {
                    infra = new InfraEvent(index, attribution.victim(results.inFlight()), report.title(),
                            impossible.get()); // the test the report began in
                    Progress.info("vm", "VM " + index + ": " + report.title() + " is not a kernel bug: " + impossible.get());
                }
                return;
            }
            var known = config.known() == null ? java.util.Optional.<KnownIssues.Issue>empty() : config.known().match(report);
            if (known.isPresent()) {
                synchronized (session.knownIssues) {
                    session.knownIssues.add(new SessionResults.KnownIssueSeen(report.title(), attribution.consoleTest(),
                            index, known.get().reason()));
                }
                attribution.reportCompleted(true);
                return;
            }
            attribution.reportCompleted(false);
            reports.add(report);
        }

        /** A report whose provisional title already matches a known issue (WARNINGs name their frame). */
        private boolean isKnownProvisional(CrashStart start) {
            return config.known().match(new CrashReport(start.kind(), start.provisionalTitle(), List.of(),
                    java.util.Optional.empty(), 0, 0, List.of(), false, java.util.Optional.empty(), false, false,
                    java.util.Optional.empty(), java.util.Optional.empty(), java.util.OptionalInt.empty(),
                    java.util.Optional.empty(), CrashReport.Completion.FLUSHED)).isPresent();
        }
    }
}
