package hmmtest.fuzz;

import hmmtest.abi.Dmirror;
import hmmtest.engine.Target;
import hmmtest.uapi.AbiVersion;
import hmmtest.model.Layout;
import hmmtest.model.Model;
import hmmtest.model.ModelOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the model needs to know about the machine under test: the driver's ABI (probed with one
 * ioctl, never assumed), the RAM size (bounce-buffer allocation failures), whether the coherent
 * devices exist, and an arena where nothing else is mapped.
 */
public record Machine(AbiVersion abi, ModelOptions options, Layout layout, List<Integer> devices) {

    /** One arena: {@link Layout#MAX_SLOTS} slots of {@link Layout#SLOT_PAGES} pages. */
    public static final long ARENA_BYTES = Layout.ARENA_BYTES;

    public Machine {
        devices = List.copyOf(devices);
    }

    /** This machine as the host's engine needs to know it. */
    public Target target() {
        return new Target(abi, options.guestRamPages(), options.coherentDevices(), layout.arenaBase());
    }

    /** A fresh model of this machine. */
    public Model newModel() {
        return new Model(abi, options, layout).afterCoherentDevicesReleased(); // RealExecutor.reset releases them
    }

    /** Probes the running system (in the guest: needs /dev/hmm_dmirror0). */
    private static Machine detected;

    /**
     * The machine, detected once per JVM: it cannot change under a running guest (a guest
     * restored from a warm snapshot finds the one its warm-up detected).
     */
    public static synchronized Machine detect() {
        if (detected == null) {
            detected = probe();
        }
        return detected;
    }

    private static Machine probe() {
        List<Integer> devices = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            if (Files.exists(Path.of(Dmirror.path(i)))) {
                devices.add(i);
            }
        }
        AbiVersion abi;
        try (Dmirror d = Dmirror.open(0)) {
            hmmtest.uapi.AbiVersion probed = Dmirror.probeAbi(d);
            if (probed == null) {
                throw new IllegalStateException("the driver answered the ABI probe with neither EINVAL nor success");
            }
            abi = AbiVersion.valueOf(probed.name());
        }
        Target t = new Target(abi, ramPages(), devices.contains(2) && devices.contains(3),
                freeArenaBase(mappedRanges()));
        return new Machine(abi, t.options(), t.layout(), devices);
    }

    /** MemTotal in 4 KiB pages (= totalram_pages, what vmalloc compares against). */
    static long ramPages() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 4;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no MemTotal in /proc/meminfo");
    }

    /** [start, end) of every mapping of this process. */
    static List<long[]> mappedRanges() {
        List<long[]> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int dash = line.indexOf('-');
                int space = line.indexOf(' ');
                out.add(new long[] {Long.parseUnsignedLong(line.substring(0, dash), 16),
                    Long.parseUnsignedLong(line.substring(dash + 1, space), 16)});
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * The first 1 GiB-aligned base from {@link Layout#DEFAULT_ARENA_BASE} upwards (1 TiB steps) such
     * that nothing is mapped in the arena or in the page below it (Layout's executor contract).
     */
    static long freeArenaBase(List<long[]> mapped) {
        for (long base = Layout.DEFAULT_ARENA_BASE; base < 0x7000_0000_0000L; base += 1L << 40) {
            long lo = base - 4096;
            long hi = base + ARENA_BYTES;
            boolean free = true;
            for (long[] r : mapped) {
                if (Long.compareUnsigned(r[0], hi) < 0 && Long.compareUnsigned(lo, r[1]) < 0) {
                    free = false;
                    break;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no free 1 GiB arena between 32 and 112 TiB");
    }

    @Override
    public String toString() {
        return "abi " + abi + ", devices " + devices + ", RAM " + (options.guestRamPages() >> 8) + " MiB, arena 0x"
                + Long.toHexString(layout.arenaBase());
    }
}
