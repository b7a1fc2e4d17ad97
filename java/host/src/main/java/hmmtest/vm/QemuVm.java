package hmmtest.vm;

import hmmtest.infra.Exec;
import hmmtest.infra.ExitCode;
import hmmtest.infra.HarnessException;
import hmmtest.protocol.ResultRecord;
import hmmtest.protocol.WorkOrder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One QEMU guest: the kernel console on the serial port (read live, saved to console.log) and
 * the harness's result records on a virtio-serial port backed by results.log (read live by
 * polling; a record is on disk the moment the guest wrote it, so results survive a crash).
 * QEMU is started under a parent-death signal and registered for kill-on-exit: it never outlives
 * the harness.
 */
public final class QemuVm implements Vm {
    public static final String QEMU = "qemu-system-x86_64";
    public static final String RESULT_PORT = "hmmtest.results";

    /**
     * What to boot and how. {@code ram}: guest memory in a file (null: anonymous memory);
     * {@code incoming}: a saved device state to restore instead of booting (null: boot).
     */
    public record Config(Path bzImage, Path initrd, Accelerator.Choice accel, int cpus, int memoryMb,
            List<String> kernelArgs, Path workDir, GuestRam ram, Path incoming) {
        public Config(Path bzImage, Path initrd, Accelerator.Choice accel, int cpus, int memoryMb,
                List<String> kernelArgs, Path workDir) {
            this(bzImage, initrd, accel, cpus, memoryMb, kernelArgs, workDir, null, null);
        }
    }

    /**
     * Guest memory backed by a file. {@code shared}: the guest writes into the file (a VM about to
     * be saved: its memory then needs no copying); otherwise the file is mapped copy-on-write (a
     * restored VM: the snapshot stays as it was, pages are read from it only when touched).
     */
    public record GuestRam(Path file, boolean shared) {}


    private final Config config;
    private final Path consoleLog;
    private final Path resultsLog;
    private Process process;
    private Thread consolePump;
    private long startNanos;
    private long resultsOffset;
    private final StringBuilder partialRecord = new StringBuilder();
    // Unix socket paths are limited to 107 bytes: the sockets live in a short directory of their own.
    private final Path socketDir = Path.of(System.getProperty("java.io.tmpdir"),
            "hmmtest-vm-" + Long.toUnsignedString(new java.security.SecureRandom().nextLong(), 36));
    private Qmp qmp;
    private java.nio.channels.SocketChannel control;

    public QemuVm(Config config) {
        this.config = config;
        this.consoleLog = config.workDir().resolve("console.log");
        this.resultsLog = config.workDir().resolve("results.log");
    }

    /**
     * The QEMU to run: {@value #QEMU} from the PATH, or {@code -Dhmmtest.qemu=PATH} (another build
     * of QEMU; the host's unit tests put a script there that plays a guest's two streams).
     */
    static String binary() {
        return System.getProperty("hmmtest.qemu", QEMU);
    }

    public List<String> commandLine() {
        List<String> cmd = new ArrayList<>(List.of(binary(),
                "-machine", config.ram() == null ? "pc" : "pc,memory-backend=ram0", "-accel", config.accel().kvm() ? "kvm" : "tcg,thread=multi",
                "-smp", Integer.toString(config.cpus()), "-m", Integer.toString(config.memoryMb()),
                "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot", "-nic", "none",
                "-kernel", config.bzImage().toString(), "-initrd", config.initrd().toString(),
                "-append", String.join(" ", config.kernelArgs()),
                // Console on stdio, muxed with the monitor so that Ctrl-A b sends a serial BREAK (sysrq).
                "-chardev", "stdio,id=console,mux=on,signal=off", "-serial", "chardev:console",
                "-mon", "chardev=console,mode=readline",
                "-device", "virtio-serial-pci",
                "-chardev", "file,id=results,path=" + resultsLog,
                "-device", "virtserialport,chardev=results,name=" + RESULT_PORT,
                // Host to guest: the work order of a VM restored from a warm snapshot (WorkOrder).
                "-chardev", "socket,id=control,path=" + socketDir.resolve("control.sock") + ",server=on,wait=off",
                "-device", "virtserialport,chardev=control,name=" + WorkOrder.CONTROL_PORT,
                "-qmp", "unix:" + socketDir.resolve("qmp.sock") + ",server=on,wait=off"));
        if (config.accel().kvm()) {
            cmd.addAll(List.of("-cpu", "host"));
        }
        if (config.ram() != null) {
            cmd.addAll(List.of("-object", "memory-backend-file,id=ram0,size=" + config.memoryMb() + "M,mem-path="
                    + config.ram().file() + ",share=" + (config.ram().shared() ? "on" : "off")));
        }
        if (config.incoming() != null) {
            // A restore: the device configuration above must equal the saved VM's (WarmSnapshots keys
            // on it). "defer": the state is loaded over QMP once x-ignore-shared is set (restore()).
            cmd.addAll(List.of("-incoming", "defer"));
        }
        return cmd;
    }

    /**
     * The command line with this VM's own paths left out: equal for every VM a saved state can be
     * restored into (the memory file's path and sharing differ between saving and restoring).
     */
    public List<String> identity() {
        List<String> out = new ArrayList<>();
        for (String a : commandLine()) {
            String s = a.replace(socketDir.toString(), "<sockets>").replace(resultsLog.toString(), "<results>");
            if (config.ram() != null) {
                s = s.replace(config.ram().file().toString(), "<ram>").replace(",share=off", ",share=on");
            }
            out.add(s);
        }
        return out;
    }

    /**
     * Loads a saved device state into this VM started with {@code incoming}: the memory is the
     * file it maps, so only devices and CPUs come from the state (x-ignore-shared).
     */
    void loadIncoming() throws IOException {
        qmp().execute("migrate-set-capabilities", Qmp.ignoreShared());
        qmp().execute("migrate-incoming", java.util.Map.of("uri",
                "exec:cat " + shellQuote(List.of(config.incoming().toString()))));
    }

    /** QEMU's machine protocol on this VM, connected on first use. */
    Qmp qmp() throws IOException {
        if (qmp == null) {
            qmp = Qmp.connect(socketDir.resolve("qmp.sock"), Duration.ofSeconds(30), this::alive);
        }
        return qmp;
    }

    /** Sends a work order to the guest waiting on the control port; the connection stays open for the VM's life. */
    void sendWork(WorkOrder order, long epochMillis, byte[] seed) throws IOException {
        order.write(java.nio.channels.Channels.newOutputStream(control()), epochMillis, seed);
    }

    @Override
    public synchronized java.nio.channels.ByteChannel control() throws IOException {
        // Right after a cold start QEMU may not have made the socket yet: retry while it runs.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (control == null) {
            java.nio.channels.SocketChannel c = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX);
            try {
                c.connect(java.net.UnixDomainSocketAddress.of(socketDir.resolve("control.sock")));
                control = c;
            } catch (IOException e) {
                c.close();
                if (!alive() || System.nanoTime() - deadline > 0) {
                    throw new IOException("cannot connect to the guest's control port: " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", ie);
                }
            }
        }
        return control;
    }

    /** Starts QEMU. Call from a thread that lives as long as the VM (PDEATHSIG follows the thread). */
    public void start(Listener listener) {
        try {
            Files.createDirectories(config.workDir());
            Files.createDirectories(socketDir);
            Files.deleteIfExists(resultsLog);
            Files.createFile(resultsLog);
            Files.writeString(config.workDir().resolve("qemu.cmdline"), shellQuote(commandLine()) + "\n");
            // setsid: a terminal's Ctrl-C goes to the harness, which stops QEMU and says "interrupted";
            // QEMU getting it too would exit 0 and look like a guest that died.
            List<String> cmd = new ArrayList<>(List.of("setsid"));
            cmd.addAll(commandLine());
            ProcessBuilder pb = new ProcessBuilder(Exec.dieWithParent(cmd))
                    .redirectErrorStream(true);
            startNanos = System.nanoTime();
            process = Exec.start(pb);
        } catch (IOException e) {
            throw new HarnessException(ExitCode.MISSING_HOST_TOOLS, "cannot start " + QEMU + ": " + e.getMessage());
        }
        lastListener = listener;
        consolePump = new Thread(() -> pumpConsole(process.getInputStream()), "console-pump");
        consolePump.setDaemon(true);
        consolePump.start();
    }

    /** utime + stime of QEMU and anything it started, from /proc (clock ticks of {@value #CLOCK_TICKS} Hz). */
    @Override
    public Duration cpuTime() {
        Process p = process;
        if (p == null) {
            return Duration.ZERO;
        }
        long ticks = procTicks(p.pid());
        for (ProcessHandle h : p.descendants().toList()) {
            ticks += procTicks(h.pid());
        }
        return Duration.ofMillis(ticks * 1000 / CLOCK_TICKS);
    }

    /** USER_HZ: the unit of /proc/PID/stat's times on every Linux architecture QEMU runs here. */
    static final long CLOCK_TICKS = 100;

    static long procTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15: utime, stime
        } catch (IOException | RuntimeException e) {
            return 0; // gone
        }
    }

    public Duration sinceStart() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /**
     * Waits until QEMU exits, the timeout passes, or {@code stop} says so. Console lines and
     * result records are handed to the listener on this thread only: the session's state has one
     * owner, and {@code stop} sees every line delivered before it is asked.
     */
    public Exit await(Duration timeout, Listener listener, java.util.function.BooleanSupplier stop) {
        lastListener = listener;
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                deliverConsole(listener, 20);
                pollResults(listener);
                if (!process.isAlive()) {
                    consolePump.join(2000);
                    deliverConsole(listener, 0);
                    pollResults(listener);
                    flushPartialRecord(listener);
                    return new Exit(process.exitValue(), false, false);
                }
                if (stop.getAsBoolean()) {
                    pollResults(listener);
                    return new Exit(null, false, true);
                }
                if (System.nanoTime() > deadline) {
                    pollResults(listener);
                    return new Exit(null, true, false);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException(ExitCode.INTERRUPTED, "interrupted");
        }
    }

    /** Sends a magic SysRq key over the serial line: a BREAK (Ctrl-A b on the mux), then the key. */
    public void sysrq(char key) {
        try {
            OutputStream in = process.getOutputStream();
            in.write(new byte[] {0x01, 'b'});
            in.flush();
            Thread.sleep(100);
            in.write(key);
            in.flush();
        } catch (IOException e) {
            // QEMU already gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public Path consoleLog() {
        return consoleLog;
    }

    public Path resultsLog() {
        return resultsLog;
    }

    /** Console lines read by the pump thread, delivered by {@link #await} and {@link #close} on the session's thread. */
    private final java.util.concurrent.LinkedBlockingQueue<String> consoleLines = new java.util.concurrent.LinkedBlockingQueue<>();
    private volatile Listener lastListener;

    /** Hands queued console lines to the listener, waiting up to {@code waitMillis} for the first. */
    private void deliverConsole(Listener listener, long waitMillis) throws InterruptedException {
        String first = waitMillis > 0 ? consoleLines.poll(waitMillis, TimeUnit.MILLISECONDS) : consoleLines.poll();
        if (first == null) {
            return;
        }
        listener.consoleLine(first);
        List<String> more = new ArrayList<>();
        consoleLines.drainTo(more);
        more.forEach(listener::consoleLine);
    }

    private void pumpConsole(InputStream in) {
        try (BufferedWriter log = Files.newBufferedWriter(consoleLog, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                String chunk = new String(buf, 0, n, StandardCharsets.UTF_8);
                for (int i = 0; i < chunk.length(); i++) {
                    char c = chunk.charAt(i);
                    if (c == '\n') {
                        String l = line.toString().replace("\r", "");
                        line.setLength(0);
                        log.write(l);
                        log.write('\n');
                        log.flush();
                        consoleLines.add(l);
                    } else {
                        line.append(c);
                    }
                }
            }
            if (line.length() > 0) {
                log.write(line.toString());
                consoleLines.add(line.toString());
            }
        } catch (IOException ignored) {
            // QEMU exited
        }
    }

    /** QEMU is gone: a line without its newline is all the guest wrote of its last record. */
    private void flushPartialRecord(Listener listener) {
        if (partialRecord.length() > 0) {
            String line = partialRecord.toString();
            partialRecord.setLength(0);
            listener.resultLine(line);
        }
    }

    private void pollResults(Listener listener) {
        try (RandomAccessFile f = new RandomAccessFile(resultsLog.toFile(), "r")) {
            long len = f.length();
            if (len <= resultsOffset) {
                return;
            }
            byte[] b = new byte[(int) (len - resultsOffset)];
            f.seek(resultsOffset);
            f.readFully(b);
            resultsOffset = len;
            partialRecord.append(new String(b, StandardCharsets.UTF_8));
            int nl;
            while ((nl = partialRecord.indexOf("\n")) >= 0) {
                String line = partialRecord.substring(0, nl);
                partialRecord.delete(0, nl + 1);
                listener.resultLine(line);
            }
        } catch (IOException e) {
            // file not there yet
        }
    }

    /** Kills QEMU (if still running) and waits until the console pump has read the last line. */
    @Override
    public void close() {
        if (qmp != null) {
            qmp.close();
        }
        if (control != null) {
            try {
                control.close();
            } catch (IOException ignored) {
                // QEMU gone
            }
        }
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
                if (consolePump != null) {
                    consolePump.join(2000);
                }
                if (lastListener != null) {
                    deliverConsole(lastListener, 0); // the last lines QEMU wrote: the session sees every one
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Exec.forget(process);
        }
        hmmtest.infra.CacheDir.deleteQuietly(socketDir);
    }

    static String shellQuote(List<String> cmd) {
        StringBuilder sb = new StringBuilder();
        for (String a : cmd) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(a.matches("[A-Za-z0-9_./=:,+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }
}
