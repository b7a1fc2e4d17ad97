package hmmtest.vm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import hmmtest.infra.CacheDir;
import hmmtest.infra.Exec;
import hmmtest.infra.Hashing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cache of warm VMs, {@code snapshots/<key>/}: a guest that booted, loaded the module, started
 * its JVM, probed the device and discovered the suite, saved while it waited for its work order.
 * An entry is the guest's memory as a file ({@code ram}, sparse: only what the guest touched takes
 * space) and its device and CPU state ({@code vm.state}, a few hundred KiB of QEMU migration
 * stream). The VM being saved ran with its memory in that file, so saving copies no memory, and a
 * restored VM maps it copy-on-write, so restoring reads only the pages the guest touches.
 * The key covers everything a restore must match: QEMU's version, the kernel and image files, and
 * the whole command line (devices, memory, kernel arguments) with the VM's own paths left out.
 * An entry is built in a temporary and renamed into place; the {@value #KEEP} most recently used
 * are kept.
 */
public final class WarmSnapshots {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WarmSnapshots.class);
    static final int KEEP = 6;
    static final String STATE = "vm.state";
    static final String RAM = "ram";
    /** The saved VM's console up to the snapshot: its boot, which a restored VM's console does not show. */
    static final String BOOT_CONSOLE = "console-boot.log";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static volatile String qemuVersion;
    private final Path root;

    public WarmSnapshots(CacheDir cache) {
        this.root = cache.dir("snapshots");
        CacheDir.sweepTemporaries(root);
    }

    /** A saved VM: where its state and memory are. */
    public record Entry(String key, Path state, Path ram) {
        /** The boot console of the VM that was saved (may be missing in entries from before it was kept). */
        Path bootConsole() {
            return state.resolveSibling(BOOT_CONSOLE);
        }
    }

    /** A save and what it cost: seconds and bytes on disk (memory actually written plus state). */
    public record Saved(Entry entry, double saveSeconds, long bytes) {}

    /** The key of the VM state this serve-mode VM would save, or be restored from. */
    String key(QemuVm serveVm, Machine m) {
        // v3: entries keep the saved VM's boot console; older ones are not used.
        StringBuilder sb = new StringBuilder("hmmtest warm snapshot v3\n").append(qemuVersion()).append('\n');
        for (Path p : List.of(m.bzImage(), m.initrd())) {
            try {
                sb.append(p.toAbsolutePath()).append(' ').append(Files.size(p)).append(' ')
                        .append(Files.getLastModifiedTime(p).toMillis()).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        serveVm.identity().forEach(a -> sb.append(a).append('\n'));
        return Hashing.sha256(sb.toString()).substring(0, 24);
    }

    /** The saved VM under this key, marked as just used. */
    Optional<Entry> find(String key) {
        Path dir = root.resolve(key);
        Entry e = new Entry(key, dir.resolve(STATE), dir.resolve(RAM));
        if (!Files.isRegularFile(e.state()) || !Files.isRegularFile(e.ram())) {
            return Optional.empty();
        }
        try {
            Files.setLastModifiedTime(dir, FileTime.from(Instant.now()));
        } catch (IOException ignored) {
            // evicted by another run meanwhile: the restore fails and the VM boots cold
        }
        return Optional.of(e);
    }

    /**
     * A place to boot the VM to be saved under this key (its memory file goes in the staging
     * directory), held under the key's lock; empty when the entry exists, perhaps saved by another
     * run while this one waited.
     */
    Optional<CacheDir.Staging> stage(String key) throws IOException {
        return CacheDir.stage(root.resolve(key));
    }

    /** The memory file of a VM booting in this staging directory. */
    static Path ramIn(CacheDir.Staging staging) {
        return staging.dir().resolve(RAM);
    }

    /**
     * Stops the VM booted in {@code staging} and saves its device state next to its memory file,
     * then commits the entry. The VM must never run again: its memory is now the snapshot's.
     */
    Saved save(CacheDir.Staging staging, String key, QemuVm vm, Machine m) throws IOException {
        long t0 = System.nanoTime();
        Qmp qmp = vm.qmp();
        qmp.execute("stop", Map.of());
        if (Files.isRegularFile(vm.consoleLog())) {
            Files.copy(vm.consoleLog(), staging.dir().resolve(BOOT_CONSOLE));
        }
        qmp.execute("migrate-set-capabilities", Qmp.ignoreShared());
        Path state = staging.dir().resolve(STATE);
        qmp.execute("migrate", Map.of("uri", "exec:cat > " + QemuVm.shellQuote(List.of(state.toString()))));
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            var info = qmp.execute("query-migrate", Map.of());
            String status = info.path("status").asText();
            if (status.equals("completed")) {
                break;
            }
            if (status.equals("failed") || status.equals("cancelled") || System.nanoTime() > deadline) {
                throw new IOException("saving the VM state " + status + ": " + info.path("error-desc").asText(""));
            }
            Qmp.sleep(5);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long bytes = allocatedBytes(ramIn(staging)) + Files.size(state);
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("key", key);
        about.put("created", Instant.now().toString());
        about.put("qemu", qemuVersion());
        about.put("bzImage", m.bzImage().toString());
        about.put("initrd", m.initrd().toString());
        about.put("commandLine", vm.identity());
        about.put("saveSeconds", seconds);
        about.put("bytes", bytes);
        JSON.writeValue(staging.dir().resolve("snapshot.json").toFile(), about);
        Path dir = staging.commit();
        evict();
        return new Saved(new Entry(key, dir.resolve(STATE), dir.resolve(RAM)), seconds, bytes);
    }

    /** Bytes a sparse file takes on disk (its apparent size is the whole guest memory). */
    private static long allocatedBytes(Path file) throws IOException {
        String du = Exec.capture(List.of("du", "-s", "--block-size=1", file.toString()));
        if (du != null && du.matches("\\d+\\s.*(\\R.*)?")) {
            return Long.parseLong(du.split("\\s")[0]);
        }
        return Files.size(file);
    }

    /** A state that could not be restored goes: the next VM saves a new one. */
    void discard(String key) {
        LOG.debug("warm snapshot {} discarded", key);
        CacheDir.deleteQuietly(root.resolve(key));
    }

    /** Keeps the {@value #KEEP} most recently used entries, and no lock file without its entry. */
    void evict() {
        try (var s = Files.list(root)) {
            List<Path> entries = s.filter(p -> Files.isRegularFile(p.resolve(STATE)) && !p.getFileName().toString().contains(".tmp-"))
                    .sorted(Comparator.comparing(WarmSnapshots::lastUsed).reversed()).toList();
            entries.stream().skip(KEEP).forEach(p -> {
                LOG.debug("warm snapshot {} evicted (keeping the {} most recently used)", p.getFileName(), KEEP);
                CacheDir.deleteQuietly(p);
            });
        } catch (IOException e) {
            LOG.warn("snapshot eviction in {} failed: {}", root, e.toString()); // housekeeping: the next save tries again
        }
        try (var s = Files.list(root)) {
            for (Path lock : s.filter(p -> p.getFileName().toString().endsWith(".lock")).toList()) {
                String key = lock.getFileName().toString().replaceFirst("\\.lock$", "");
                if (!Files.exists(root.resolve(key))) {
                    deleteUnlessHeld(lock);
                }
            }
        } catch (IOException e) {
            // housekeeping
        }
    }

    /** A lock file nobody holds (its save finished or failed long ago) goes; one in use stays. */
    private static void deleteUnlessHeld(Path lock) {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lock,
                java.nio.file.StandardOpenOption.WRITE);
                java.nio.channels.FileLock held = ch.tryLock()) {
            if (held != null) {
                Files.deleteIfExists(lock);
            }
        } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
            // in use by this or another run
        }
    }

    private static FileTime lastUsed(Path entry) {
        try {
            return Files.getLastModifiedTime(entry);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    static String qemuVersion() {
        if (qemuVersion == null) {
            String v = Exec.capture(List.of(QemuVm.QEMU, "--version"));
            qemuVersion = v == null ? "unknown" : v.lines().findFirst().orElse("unknown").trim();
        }
        return qemuVersion;
    }
}
