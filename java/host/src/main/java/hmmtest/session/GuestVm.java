package hmmtest.session;

import hmmtest.console.ConsoleMonitor;
import hmmtest.console.CrashListener;
import hmmtest.console.CrashReport;
import hmmtest.console.CrashStart;
import hmmtest.image.GuestImage;
import hmmtest.protocol.ResultRecord;
import hmmtest.vm.Accelerator;
import hmmtest.vm.QemuVm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One VM in a non-suite mode (fuzz, replay, exec): host files go in on an extra initramfs
 * archive, records come back live, and the first fatal kernel report (or any report, when
 * {@code stopOnAnyReport}) ends the VM. Used by the differential run and its crash shrinking.
 */
public final class GuestVm {

    /** What the VM left behind. */
    public record Result(List<ResultRecord> records, List<CrashReport> reports, boolean timedOut, double seconds,
            Path consoleLog) {
        public CrashReport firstReport() {
            return reports.isEmpty() ? null : reports.get(0);
        }
    }

    private GuestVm() {}

    public static Result run(Path bzImage, Path initrd, Accelerator.Choice accel, List<String> kernelArgs,
            Map<String, byte[]> files, Path dir, Duration timeout, KnownIssues known, Consumer<ResultRecord> live)
            throws IOException {
        Files.createDirectories(dir);
        Path image = files.isEmpty() ? initrd : GuestImage.withExtraFiles(initrd, files, dir.resolve(GuestImage.FILE_NAME));
        List<ResultRecord> records = Collections.synchronizedList(new ArrayList<>());
        List<CrashReport> reports = Collections.synchronizedList(new ArrayList<>());
        ConsoleMonitor monitor = new ConsoleMonitor(new CrashListener() {
            @Override
            public void crashStarted(CrashStart start) {
            }

            @Override
            public void crashCompleted(CrashReport report) {
                if (known.match(report).isEmpty()) {
                    reports.add(report);
                }
            }
        });
        QemuVm.Listener listener = new QemuVm.Listener() {
            @Override
            public void consoleLine(String line) {
                monitor.onLine(line);
            }

            @Override
            public void record(ResultRecord r) {
                records.add(r);
                live.accept(r);
            }
        };
        QemuVm.Exit exit;
        double seconds;
        try (QemuVm vm = new QemuVm(new QemuVm.Config(bzImage, image, accel, 2, 2048, kernelArgs, dir))) {
            vm.start(listener);
            exit = vm.await(timeout, listener, () -> !reports.isEmpty());
            seconds = vm.sinceStart().toMillis() / 1000.0;
            vm.close();
            monitor.flush();
        }
        if (!files.isEmpty()) {
            Files.deleteIfExists(image); // a copy of the cached image plus the files: not worth keeping
        }
        return new Result(List.copyOf(records), List.copyOf(reports), exit.timedOut(), seconds, dir.resolve("console.log"));
    }
}
