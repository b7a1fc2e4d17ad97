package hmmtest.vm;

import hmmtest.image.GuestImage;
import hmmtest.infra.CacheDir;
import hmmtest.infra.Progress;
import hmmtest.protocol.ResultRecord;
import hmmtest.protocol.WorkOrder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Starts the VM for one work order in the fastest way that is safe:
 * <ol>
 * <li><b>restored</b>: a warm snapshot of this machine exists: QEMU restores it, the host
 * continues it and sends the order (the guest sets the host's clock and reseeds its entropy);</li>
 * <li><b>booted and saved</b>: no snapshot yet: the VM boots in serve mode, the host saves it
 * when the guest is ready (before any test ran), continues it and sends the order;</li>
 * <li><b>booted</b>: snapshots off (--no-snapshot), or a restore failed (the snapshot is discarded
 * and the reason recorded): the classic cold boot, with the order on the kernel command line.</li>
 * </ol>
 * The caller then watches the running VM exactly as before: how it started changes nothing in
 * what its console and records mean.
 */
public final class VmLauncher {
    /** How long a restore may take to reach a continued guest that acknowledged its order. */
    static final Duration RESTORE_PATIENCE = Duration.ofSeconds(60);
    private static final SecureRandom SEEDS = new SecureRandom();
    /** Diagnostics of each start step (HMMTEST_LOG=debug, make ... LOG=debug). */
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(VmLauncher.class);

    private VmLauncher() {}

    /** How a VM came to life, for results.json and the reports. */
    public record Start(String how, String snapshot, String note, Double saveSeconds, Long snapshotBytes,
            Double restoreSeconds) {
        public static final String BOOTED = "booted";
        public static final String SAVED = "booted-and-saved";
        public static final String RESTORED = "restored";

        /** One line for reports: "restored from snapshot K in 0.6 s", "booted (restore of ... failed: ...)". */
        public String describe() {
            StringBuilder sb = new StringBuilder();
            switch (how) {
                case RESTORED -> sb.append("restored from snapshot ").append(snapshot);
                case SAVED -> sb.append(String.format(Locale.ROOT, "booted, saved as snapshot %s in %.2f s (%d MiB), restored",
                        snapshot, saveSeconds, snapshotBytes >> 20));
                default -> sb.append(how);
            }
            if (restoreSeconds != null) {
                sb.append(String.format(Locale.ROOT, " in %.1f s", restoreSeconds));
            }
            if (note != null) {
                sb.append(" (").append(note).append(')');
            }
            return sb.toString();
        }
    }

    /** A started VM; closing it stops QEMU and removes what the start made for it. */
    public record Launched(Vm vm, Start start, Path extraImage) implements AutoCloseable {
        @Override
        public void close() {
            vm.close();
            if (extraImage != null) {
                hmmtest.infra.CacheDir.deleteQuietly(extraImage); // a copy of the cached image plus files
            }
        }
    }

    /**
     * Starts a VM for {@code order} in {@code dir}. {@code abort} (a kernel report seen, say) ends
     * the wait for a booting guest early; a guest that is not ready within {@code bootTimeout} is
     * handed over as it is, and the caller's own boot timeout judges it.
     */
    public static Launched launch(Machine m, WorkOrder order, Path dir, Vm.Listener listener,
            Duration bootTimeout, BooleanSupplier abort) throws IOException {
        if (m.snapshots() == null) {
            return cold(m, order, dir, listener, null);
        }
        String key = key(m, dir);
        Optional<WarmSnapshots.Entry> entry = m.snapshots().find(key);
        if (entry.isEmpty()) {
            Optional<CacheDir.Staging> staging = m.snapshots().stage(key);
            if (staging.isPresent()) {
                try (CacheDir.Staging s = staging.get()) {
                    BootedForSave booted = bootAndSave(m, key, s, order, dir, listener, bootTimeout, abort);
                    if (booted.unsaved != null) {
                        return booted.unsaved;
                    }
                    entry = Optional.of(booted.saved.entry());
                    return restoreOrBoot(m, entry.get(), order, dir, listener, abort, booted.saved);
                }
            }
            entry = m.snapshots().find(key); // saved by another run while this one waited
            if (entry.isEmpty()) {
                return cold(m, order, dir, listener, "snapshot " + key + " vanished");
            }
        }
        return restoreOrBoot(m, entry.get(), order, dir, listener, abort, null);
    }

    /** Deletes this machine's warm snapshot, if any: the next VM boots and saves a new one (bench-boot). */
    public static void discardSnapshot(Machine m, Path dir) {
        if (m.snapshots() != null) {
            m.snapshots().discard(key(m, dir));
        }
    }

    private static String key(Machine m, Path dir) {
        return m.snapshots().key(new QemuVm(config(m, dir, new QemuVm.GuestRam(Path.of(WarmSnapshots.RAM), true), null)),
                m);
    }

    private static Launched restoreOrBoot(Machine m, WarmSnapshots.Entry entry, WorkOrder order, Path dir,
            Vm.Listener listener, BooleanSupplier abort, WarmSnapshots.Saved saved) throws IOException {
        QemuVm restored = new QemuVm(config(m, dir, new QemuVm.GuestRam(entry.ram(), false), entry.state()));
        if (saved == null && Files.isRegularFile(entry.bootConsole())) {
            // The kernel's boot, module load and the guest's start are the snapshot's: keep them beside this VM's console.
            Files.createDirectories(dir);
            Files.copy(entry.bootConsole(), dir.resolve(WarmSnapshots.BOOT_CONSOLE),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try {
            double seconds = restore(restored, order, listener, abort);
            return new Launched(restored, saved == null
                    ? new Start(Start.RESTORED, entry.key(), null, null, null, seconds)
                    : new Start(Start.SAVED, entry.key(), null, saved.saveSeconds(), saved.bytes(), seconds), null);
        } catch (IOException | RuntimeException e) {
            restored.close();
            if (abort.getAsBoolean()) {
                throw e instanceof IOException io ? io : new IOException(e);
            }
            m.snapshots().discard(entry.key());
            String why = "restore of snapshot " + entry.key() + " failed: " + e.getMessage();
            Progress.info("vm", why + "; booting cold");
            keepConsole(dir, "console-failed-restore.log");
            return cold(m, order, dir, listener, why);
        }
    }

    private static QemuVm.Config config(Machine m, Path dir, QemuVm.GuestRam ram, Path incoming) {
        List<String> args = new ArrayList<>(m.baseArgs());
        args.add(WorkOrder.SERVE_ARG);
        return new QemuVm.Config(m.bzImage(), m.initrd(), m.accel(), Machine.CPUS, m.memoryMb(), args, dir, ram,
                incoming);
    }

    private static Launched cold(Machine m, WorkOrder order, Path dir, Vm.Listener listener, String note)
            throws IOException {
        Files.createDirectories(dir);
        Path extra = order.files().isEmpty() ? null
                : GuestImage.withExtraFiles(m.initrd(), order.files(), dir.resolve(GuestImage.FILE_NAME));
        List<String> args = new ArrayList<>(m.baseArgs());
        args.addAll(order.kernelArgs());
        QemuVm vm = new QemuVm(new QemuVm.Config(m.bzImage(), extra != null ? extra : m.initrd(), m.accel(),
                Machine.CPUS, m.memoryMb(), args, dir));
        vm.start(listener);
        return new Launched(vm, new Start(Start.BOOTED, null, note, null, null, null), extra);
    }

    /** Restores, continues, sends the order; returns seconds from QEMU's start to the guest's acknowledgement. */
    private static double restore(QemuVm vm, WorkOrder order, Vm.Listener listener, BooleanSupplier abort)
            throws IOException {
        PhaseWatch watch = new PhaseWatch(listener, "resumed");
        vm.start(watch);
        long deadline = System.nanoTime() + RESTORE_PATIENCE.toNanos();
        vm.loadIncoming();
        LOG.debug("restore: loading the state {} s after QEMU started", vm.sinceStart().toMillis() / 1000.0);
        Qmp qmp = vm.qmp();
        while (true) {
            String status = qmp.status();
            if (status.equals("paused") || status.equals("postmigrate")) {
                break;
            }
            if (!status.equals("inmigrate") && !status.equals("prelaunch")) {
                throw new IOException("VM state after the restore is \"" + status + "\"");
            }
            if (System.nanoTime() > deadline || !vm.alive()) {
                throw new IOException("QEMU did not load the saved state");
            }
            Qmp.sleep(5);
        }
        LOG.debug("restore: state loaded {} s after QEMU started", vm.sinceStart().toMillis() / 1000.0);
        qmp.execute("cont", Map.of());
        sendOrder(vm, order);
        LOG.debug("restore: continued, order sent {} s after QEMU started", vm.sinceStart().toMillis() / 1000.0);
        Vm.Exit exit = vm.await(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), watch,
                () -> watch.seen || abort.getAsBoolean());
        if (!watch.seen) {
            throw new IOException(exit.exitCode() != null ? "QEMU exited (" + exit.exitCode() + ") after the restore"
                    : "the restored guest did not take its work order");
        }
        return watch.seenAt;
    }

    /** A VM booted to be saved: either saved (and stopped for good) or handed over unsaved, running. */
    private record BootedForSave(WarmSnapshots.Saved saved, Launched unsaved) {}

    /**
     * Boots a serve-mode VM with its memory in the staging directory, saves it once the guest is
     * ready, and stops it (its memory file now belongs to the snapshot). A guest that never gets
     * ready, or a save that fails, leaves the VM running for the caller, with the reason.
     */
    private static BootedForSave bootAndSave(Machine m, String key, CacheDir.Staging staging, WorkOrder order, Path dir,
            Vm.Listener listener, Duration bootTimeout, BooleanSupplier abort) throws IOException {
        QemuVm vm = new QemuVm(config(m, dir, new QemuVm.GuestRam(WarmSnapshots.ramIn(staging), true), null));
        PhaseWatch watch = new PhaseWatch(listener, "snapshot-ready");
        vm.start(watch);
        vm.await(bootTimeout, watch, () -> watch.seen || abort.getAsBoolean());
        if (!watch.seen) {
            // The caller sees what happened (a kernel report, QEMU gone, or silence) and judges it.
            return new BootedForSave(null, new Launched(vm, new Start(Start.BOOTED, null,
                    "guest never became ready for a snapshot", null, null, null), null));
        }
        try {
            WarmSnapshots.Saved saved = m.snapshots().save(staging, key, vm, m);
            Progress.info("vm", String.format(Locale.ROOT, "warm snapshot %s saved in %.2f s (%d MiB)", key,
                    saved.saveSeconds(), saved.bytes() >> 20));
            vm.close();
            keepConsole(dir, WarmSnapshots.BOOT_CONSOLE);
            return new BootedForSave(saved, null);
        } catch (IOException | RuntimeException e) {
            String note = "snapshot not saved: " + e.getMessage();
            Progress.info("vm", note);
            Qmp qmp = vm.qmp();
            if (!qmp.status().equals("running")) {
                qmp.execute("cont", Map.of());
            }
            sendOrder(vm, order); // over the control port, as to a restored VM
            return new BootedForSave(null, new Launched(vm, new Start(Start.BOOTED, null, note, null, null, null),
                    null));
        }
    }

    private static void sendOrder(QemuVm vm, WorkOrder order) throws IOException {
        byte[] seed = new byte[32];
        SEEDS.nextBytes(seed);
        vm.sendWork(order, System.currentTimeMillis(), seed);
    }

    /** Keeps the console of a VM that is replaced by the next one (console.log is the running VM's). */
    private static void keepConsole(Path dir, String name) {
        try {
            Path console = dir.resolve("console.log");
            if (Files.exists(console)) {
                Files.move(console, dir.resolve(name),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Passes everything on and notes when the guest reports one phase (and the host time it arrived). */
    private static final class PhaseWatch implements Vm.Listener {
        private final Vm.Listener next;
        private final String phase;
        volatile boolean seen;
        volatile double seenAt;
        private final long t0 = System.nanoTime();

        PhaseWatch(Vm.Listener next, String phase) {
            this.next = next;
            this.phase = phase;
        }

        @Override
        public void consoleLine(String line) {
            next.consoleLine(line);
        }

        @Override
        public void resultLine(String line) {
            ResultRecord r = ResultRecord.decode(line);
            if (r != null && r.kind() == ResultRecord.Kind.PHASE && r.field(0).equals(phase)) {
                seenAt = (System.nanoTime() - t0) / 1e9;
                seen = true;
            }
            next.resultLine(line);
        }
    }
}
