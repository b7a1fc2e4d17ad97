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
            Path consoleLog, VmLauncher.Start start, String infrastructure) {
        public CrashReport firstReport() {
            return reports.isEmpty() ? null : reports.get(0);
        }
    }

    private GuestVm() {}

    public static Result run(Machine machine, WorkOrder order, Path dir, Duration timeout, KnownIssues known,
            Consumer<ResultRecord> live) throws IOException {
        Files.createDirectories(dir);
        List<ResultRecord> records = Collections.synchronizedList(new ArrayList<>());
        List<CrashReport> reports = Collections.synchronizedList(new ArrayList<>());
        hmmtest.console.ClockCheck clock = new hmmtest.console.ClockCheck();
        String[] infra = {null};
        Vm[] running = {null};
        long t0 = System.nanoTime();
        java.util.function.DoubleSupplier hostSeconds = () -> running[0] != null
                ? running[0].sinceStart().toMillis() / 1000.0 : (System.nanoTime() - t0) / 1e9;
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
                records.add(r);
                live.accept(r);
            }
        };
        Vm.Exit exit;
        double seconds;
        VmLauncher.Start start;
        try (VmLauncher.Launched launched = VmLauncher.launch(machine, order, dir, listener, Duration.ofMinutes(2),
                () -> !reports.isEmpty() || infra[0] != null || Exec.exiting())) {
            start = launched.start();
            running[0] = launched.vm();
            exit = launched.vm().await(timeout, listener, () -> {
                clock.cpu(hostSeconds.getAsDouble(), launched.vm().cpuTime().toMillis() / 1000.0);
                return !reports.isEmpty() || infra[0] != null;
            });
            seconds = launched.vm().sinceStart().toMillis() / 1000.0;
            launched.vm().close();
            monitor.flush();
        }
        return new Result(List.copyOf(records), List.copyOf(reports), exit.timedOut(), seconds, dir.resolve("console.log"),
                start, infra[0]);
    }
}
