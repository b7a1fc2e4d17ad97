package hmmtest.guest;

import com.sun.jna.Memory;
import hmmtest.abi.Dmirror;
import hmmtest.abi.Sys;
import hmmtest.protocol.WorkOrder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The guest's half of a warm snapshot: get everything slow done (JNA, the device's first ioctl,
 * a whole-suite discovery, the fuzzer's classes), say "snapshot-ready", then wait on the
 * host-to-guest port for a {@link WorkOrder}. The host saves the VM while it waits; every VM
 * restored from that state wakes up here, sets the host's wall clock, reseeds the kernel's
 * entropy pool and runs the order. Nothing done here touches a device mirror that survives:
 * the probe's file is closed before the snapshot.
 */
final class WarmStart {
    private static final long CLOCK_SETTIME = 227; // x86-64
    private static final long RNDRESEEDCRNG = 0x5207; // _IO('R', 0x07)

    static final int DISCOVERY_ROUNDS = 3;
    private static GuestMain.Discovered wholeSuite;

    private WarmStart() {}

    /** Loads and JIT-warms what every mode needs first, without sending a record. */
    static void warmUp() {
        try {
            hmmtest.abi.NativeHelpers.load();
        } catch (LinkageError | RuntimeException e) {
            // the restored guest reports it when it probes again
        }
        hmmtest.uapi.AbiVersion abi = null;
        try (Dmirror d = Dmirror.open(0)) {
            abi = hmmtest.uapi.AbiVersion.valueOf(Dmirror.probeAbi(d).name());
        } catch (RuntimeException e) {
            // reported by the probe after the restore
        }
        // Discovery again and again: the code of a selection's discovery after the restore is
        // then compiled in the snapshot instead of interpreted under TCG.
        for (int round = 0; round < DISCOVERY_ROUNDS; round++) {
            GuestMain.Discovered d = GuestMain.discover(List.of(GuestMain.PROBE_PREFIX + "*", "*"), List.of());
            GuestMain.inOrder(d.plan()).forEach(t -> ResultStreamListener.testId(d.plan(), t));
        }
        // The plan of a whole-suite run, discovered once here: a run without a selection, and
        // every VM after one of its crashes, executes it without discovering again.
        wholeSuite = GuestMain.discover(List.of(), List.of());
        GuestMain.executeQuietly(WarmupTests.class);
        for (String c : List.of("hmmtest.fuzz.FuzzEntry", "hmmtest.fuzz.RealExecutor", "hmmtest.engine.Replayer",
                "hmmtest.model.gen.Shrinker")) {
            try {
                Class.forName(c, true, WarmStart.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                // a mode that needs it fails loudly after the restore
            }
        }
        if (abi != null) {
            warmModel(abi);
        }
        // The fuzzer's start-up once, undone at once: the machine (detected once per JVM, kept),
        // its knobs set and restored, the executor's device files opened and closed. No action runs.
        try {
            hmmtest.fuzz.Machine machine = hmmtest.fuzz.Machine.detect();
            try (hmmtest.fuzz.MachineSetup setup = hmmtest.fuzz.MachineSetup.apply(0);
                    hmmtest.fuzz.RealExecutor executor = hmmtest.fuzz.RealExecutor.open(machine)) {
                String.join(" ", machine.toString(), setup.describe());
            }
        } catch (RuntimeException e) {
            // the fuzz mode reports it after the restore
        }
    }

    /**
     * The fuzzer's generator and reference model on their own, no device: a few seeded sequences
     * predicted and applied with the model's nominal outcomes, so that a restored guest's first
     * actions (a crash-shrinking candidate is a handful) run compiled model code.
     */
    static void warmModel(hmmtest.uapi.AbiVersion abi) {
        hmmtest.engine.FuzzConfig cfg = hmmtest.engine.FuzzConfig.defaults();
        for (long seed = 1; seed <= MODEL_SEQUENCES; seed++) {
            hmmtest.model.Model model = new hmmtest.model.Model(abi);
            hmmtest.model.gen.ActionGenerator gen = new hmmtest.model.gen.ActionGenerator(seed, abi, cfg.generator());
            for (int i = 0; i < MODEL_ACTIONS; i++) {
                hmmtest.model.Action a = gen.next(model);
                if (model.predict(a).alternatives().isEmpty()) {
                    break; // a hazard: the model has no outcome to go on with
                }
                a.toText();
                model.applyNominal(a);
            }
        }
    }

    /**
     * One sequence of 100 actions: a few seconds once per snapshot under TCG; a 2-action replay
     * then took 0.3 s in the guest instead of 1.2 s (6,000 actions took 50 s and gained nothing more).
     */
    static final int MODEL_SEQUENCES = 1;
    static final int MODEL_ACTIONS = 100;

    /** The whole suite's plan, discovered before the snapshot (null before warmUp). */
    static GuestMain.Discovered wholeSuite() {
        return wholeSuite;
    }

    /** The device node of the virtio-serial port with this name, or null. */
    static String port(String name) {
        try (var ports = Files.list(Path.of("/sys/class/virtio-ports"))) {
            for (Path p : (Iterable<Path>) ports::iterator) {
                if (Files.readString(p.resolve("name")).trim().equals(name)) {
                    return "/dev/" + p.getFileName();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** Blocks until the host sends a work order. */
    static WorkOrder.Received awaitOrder(String port) throws IOException {
        if (port == null) {
            throw new IOException("no virtio port named " + WorkOrder.CONTROL_PORT);
        }
        int fd = Sys.open(port, Sys.O_RDONLY);
        if (fd < 0) {
            throw new IOException("cannot open " + port + ": errno " + -fd);
        }
        try (InputStream in = new PatientStream(fd)) {
            return WorkOrder.read(in);
        }
    }

    /** Makes the restored guest its own: the host's wall clock, fresh entropy, the host's files. */
    static void apply(WorkOrder.Received r) throws IOException {
        try (Memory ts = new Memory(16)) {
            ts.setLong(0, r.epochMillis() / 1000);
            ts.setLong(8, (r.epochMillis() % 1000) * 1_000_000L);
            Sys.syscall(CLOCK_SETTIME, 0 /* CLOCK_REALTIME */, com.sun.jna.Pointer.nativeValue(ts), 0);
        }
        // Written bytes are mixed into the pool; the ioctl makes the next random numbers (mmap
        // randomisation included) come from a reseeded generator instead of the snapshot's.
        Files.write(Path.of("/dev/urandom"), r.seed());
        int fd = Sys.open("/dev/urandom", Sys.O_RDWR);
        if (fd >= 0) {
            Sys.ioctl(fd, RNDRESEEDCRNG, 0);
            Sys.close(fd);
        }
        for (Map.Entry<String, byte[]> f : r.order().files().entrySet()) {
            Path target = Path.of("/").resolve(f.getKey()); // named as in an initramfs archive: etc/hmmtest/...
            Files.createDirectories(target.getParent());
            Files.write(target, f.getValue());
        }
    }

    /**
     * A virtio-serial port reads as end-of-file while no host program is connected to its
     * socket (before and during the snapshot): wait and read again instead of ending. Plain
     * read(2) through JNA on purpose: a FileInputStream over the port never saw the host's
     * bytes after such an end-of-file (measured; a C program on the same port did).
     */
    private static final class PatientStream extends InputStream {
        private final int fd;
        private final Memory buf = new Memory(65536);

        PatientStream(int fd) {
            this.fd = fd;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (true) {
                long n = Sys.read(fd, com.sun.jna.Pointer.nativeValue(buf), Math.min(len, 65536));
                if (n > 0) {
                    buf.read(0, b, off, (int) n);
                    return (int) n;
                }
                if (n < 0 && n != -4 /* EINTR */) {
                    throw new IOException("reading the control port: errno " + -n);
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
        }

        @Override
        public void close() {
            Sys.close(fd);
            buf.close();
        }
    }
}
