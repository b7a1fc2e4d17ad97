package hmmtest.session;

import hmmtest.vm.Vm;

import hmmtest.console.KnownIssues;

import hmmtest.console.ConsoleMonitor;
import hmmtest.console.CrashListener;
import hmmtest.console.CrashReport;
import hmmtest.console.CrashStart;
import hmmtest.infra.Exec;
import hmmtest.infra.Progress;
import hmmtest.protocol.ResultRecord;
import hmmtest.protocol.WorkOrder;
import hmmtest.vm.Machine;
import hmmtest.vm.QemuVm;
import hmmtest.vm.VmLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * One VM in a non-suite mode (fuzz, replay, exec): host files go in with the work order, records
 * come back live, and the first kernel report that is not a known issue ends the VM. Used by the
 * differential run and its crash shrinking.
 */
public final class GuestVm {

    /** What the VM left behind. */
    /**
     * {@code infrastructure}: why the VM was ended although the kernel did not fail (a stall claim
     * that cannot be true after a guest clock jump), or null.
     */
    public record Result(List<ResultRecord> records, List<CrashReport> reports, boolean timedOut, double seconds,
            Path consoleLog, VmLauncher.Start start, boolean harnessStarted, String ending, List<String> consoleTail,
            String infrastructure) {
        public CrashReport firstReport() {
            return reports.isEmpty() ? null : reports.get(0);
        }

        /**
         * Why the kernel never reached the guest harness (its report's title, QEMU's exit, or the
         * boot timeout), or null when the harness reported in.
         */
        public String bootFailure() {
            if (harnessStarted) {
                return null;
            }
            CrashReport r = firstReport();
            return r != null ? r.title() : ending;
        }

        /** The console lines that show a failed boot: the kernel's report, else the console's last lines. */
        public List<String> bootExcerpt() {
            CrashReport r = firstReport();
            return r != null && !r.excerpt().isEmpty() ? r.excerpt() : consoleTail;
        }
    }

    private GuestVm() {}

    /**
     * Work the host does with the running VM beside the guest (the host engine drives the guest's
     * executor over {@link Vm#control}). Runs on its own thread from the VM's launch; if it throws,
     * the VM is stopped. {@link #run} returns after it has ended.
     */
    public interface Companion {
        void run(Vm vm) throws Exception;
    }

    public static Result run(Machine machine, WorkOrder order, Path dir, Duration timeout, KnownIssues known,
            Consumer<ResultRecord> live) throws IOException {
        return run(machine, order, dir, timeout, known, live, null);
    }

    /** As {@link #run(Machine, WorkOrder, Path, Duration, KnownIssues, Consumer)}, with a companion (or null). */
    public static Result run(Machine machine, WorkOrder order, Path dir, Duration timeout, KnownIssues known,
            Consumer<ResultRecord> live, Companion companion) throws IOException {
        Files.createDirectories(dir);
        List<ResultRecord> records = Collections.synchronizedList(new ArrayList<>());
        List<CrashReport> reports = Collections.synchronizedList(new ArrayList<>());
        hmmtest.console.ClockCheck clock = new hmmtest.console.ClockCheck();
        String[] infra = {null};
        Vm[] running = {null};
        long t0 = System.nanoTime();
        java.util.function.DoubleSupplier hostSeconds = () -> running[0] != null
                ? running[0].sinceStart().toMillis() / 1000.0 : (System.nanoTime() - t0) / 1e9;
        java.util.ArrayDeque<String> tail = new java.util.ArrayDeque<>();
        java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
        ConsoleMonitor monitor = new ConsoleMonitor(new CrashListener() {
            @Override
            public void crashStarted(CrashStart start) {
                clock.reportStarted(hostSeconds.getAsDouble());
            }

            @Override
            public void crashCompleted(CrashReport report) {
                var impossible = clock.impossible(report, hostSeconds.getAsDouble());
                if (impossible.isPresent()) {
                    if (infra[0] == null) {
                        infra[0] = report.title() + ": " + impossible.get();
                        Progress.info("vm", report.title() + " is not a kernel bug: " + impossible.get());
                    }
                    return;
                }
                if (known.match(report).isEmpty()) {
                    reports.add(report);
                }
            }
        });
        Vm.Listener listener = new Vm.Listener() {
            @Override
            public void consoleLine(String line) {
                clock.line(line, hostSeconds.getAsDouble());
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > 30) { // the end of a console that shows a boot that failed
                        tail.removeFirst();
                    }
                }
                monitor.onLine(line);
            }

            @Override
            public void resultLine(String line) {
                ResultRecord r = ResultRecord.decode(line);
                if (r == null) {
                    // cut short (the VM died mid-write) or garbled: said, never silently dropped
                    Progress.info("vm", "malformed result record ignored: " + (line.length() > 200 ? line.substring(0, 200) + "..." : line));
                    return;
                }
                if (!(r.kind() == ResultRecord.Kind.PHASE && (r.field(0).equals("init") || r.field(0).equals("module-loaded")))
                        && !(r.kind() == ResultRecord.Kind.INFO && r.field(0).equals("insmod-failed"))) {
                    started.set(true); // the guest harness (the JVM) reported in
                }
                records.add(r);
                live.accept(r);
            }
        };
        Vm.Exit exit;
        double seconds;
        VmLauncher.Start start;
        // A kernel that never reaches the harness must not hold the VM for the whole work's timeout.
        Duration boot = hmmtest.session.Timeouts.defaults(machine.accel().kvm(), timeout).boot();
        String ending;
        Thread beside = null;
        java.util.concurrent.atomic.AtomicReference<Throwable> companionFailure = new java.util.concurrent.atomic.AtomicReference<>();
        try (VmLauncher.Launched launched = VmLauncher.launch(machine, order, dir, listener, boot,
                () -> !reports.isEmpty() || infra[0] != null || Exec.exiting())) {
            start = launched.start();
            Vm vm = launched.vm();
            running[0] = vm;
            if (companion != null) {
                beside = new Thread(() -> {
                    try {
                        companion.run(vm);
                    } catch (Throwable t) {
                        companionFailure.set(t);
                    }
                }, "vm-companion");
                beside.setDaemon(true);
                beside.start();
            }
            exit = vm.await(timeout, listener, () -> {
                clock.cpu(hostSeconds.getAsDouble(), () -> vm.cpuTime().toMillis() / 1000.0);
                return !reports.isEmpty() || infra[0] != null || companionFailure.get() != null
                        || (!started.get() && vm.sinceStart().compareTo(boot) > 0);
            });
            seconds = vm.sinceStart().toMillis() / 1000.0;
            vm.close();
            if (beside != null) {
                try {
                    beside.join(30_000); // the VM is gone: its channel fails, so the companion ends
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (companionFailure.get() != null && infra[0] == null && reports.isEmpty()) {
                infra[0] = "the host's side of the run failed: " + companionFailure.get();
            }
            monitor.flush();
            ending = exit.exitCode() != null ? "QEMU exited (" + exit.exitCode() + ")"
                    : exit.timedOut() ? "timed out after " + timeout.toSeconds() + " s"
                    : !started.get() ? "no sign of the guest harness within the boot timeout of " + boot.toSeconds() + " s"
                    : "stopped";
        }
        List<String> consoleTail;
        synchronized (tail) {
            consoleTail = List.copyOf(tail);
        }
        return new Result(List.copyOf(records), List.copyOf(reports), exit.timedOut(), seconds, dir.resolve("console.log"),
                start, started.get(), ending, consoleTail, infra[0]);
    }
}
