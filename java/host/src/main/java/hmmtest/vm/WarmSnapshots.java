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
 * The cache of warm VM states, {@code snapshots/<key>/vm.state}: a guest that booted, loaded
 * the module, started its JVM, probed the device and discovered the suite, saved with QEMU's
 * migration while it waited for its work order. The key covers everything a restore must match:
 * QEMU's version, the kernel and image files, and the whole command line (devices, memory,
 * kernel arguments) with the VM's own paths left out. An entry is written in a temporary and
 * renamed into place; the {@value #KEEP} most recently used are kept (each is a few hundred MiB).
 */
public final class WarmSnapshots {
    static final int KEEP = 6;
    static final String STATE = "vm.state";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static volatile String qemuVersion;
    private final Path root;

    public WarmSnapshots(CacheDir cache) {
        this.root = cache.dir("snapshots");
        CacheDir.sweepTemporaries(root);
    }

    /** A saved state and what it cost. */
    public record Saved(String id, Path state, double saveSeconds, long bytes) {}

    /** The key of the VM state this serve-mode VM would save, or be restored from. */
    String key(QemuVm serveVm, Machine m) {
        StringBuilder sb = new StringBuilder("hmmtest warm snapshot v1\n").append(qemuVersion()).append('\n');
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

    /** The saved state under this key, marked as just used. */
    Optional<Path> find(String key) {
        Path state = root.resolve(key).resolve(STATE);
        if (!Files.isRegularFile(state)) {
            return Optional.empty();
        }
        try {
            Files.setLastModifiedTime(state.getParent(), FileTime.from(Instant.now()));
        } catch (IOException ignored) {
            // evicted by another run meanwhile: the restore fails and the VM boots cold
        }
        return Optional.of(state);
    }

    /**
     * Stops the VM, saves it under the key (migration into a file) and leaves it paused; the caller
     * continues it. Another run saving the same key at the same time: one waits for the other.
     */
    Saved save(String key, QemuVm vm, Machine m) throws IOException {
        long t0 = System.nanoTime();
        Path entry = root.resolve(key);
        try {
            CacheDir.publish(entry, tmp -> {
                Qmp qmp = vm.qmp();
                qmp.execute("stop", Map.of());
                // QEMU's default migration bandwidth limit is meant for live migration over a network.
                qmp.execute("migrate-set-parameters", Map.of("max-bandwidth", 64L << 30));
                Path state = tmp.resolve(STATE);
                qmp.execute("migrate", Map.of("uri", "exec:cat > " + QemuVm.shellQuote(List.of(state.toString()))));
                long deadline = System.nanoTime() + 300_000_000_000L;
                while (true) {
                    var info = qmp.execute("query-migrate", Map.of());
                    String status = info.path("status").asText();
                    if (status.equals("completed")) {
                        break;
                    }
                    if (status.equals("failed") || status.equals("cancelled") || System.nanoTime() > deadline) {
                        throw new IOException("saving the VM state " + status + ": " + info.path("error-desc").asText(""));
                    }
                    Qmp.sleep(10);
                }
                Map<String, Object> about = new LinkedHashMap<>();
                about.put("key", key);
                about.put("created", Instant.now().toString());
                about.put("qemu", qemuVersion());
                about.put("bzImage", m.bzImage().toString());
                about.put("initrd", m.initrd().toString());
                about.put("commandLine", vm.identity());
                about.put("saveSeconds", (System.nanoTime() - t0) / 1e9);
                about.put("bytes", Files.size(state));
                JSON.writeValue(tmp.resolve("snapshot.json").toFile(), about);
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        evict();
        Path state = entry.resolve(STATE);
        return new Saved(key, state, (System.nanoTime() - t0) / 1e9, Files.size(state));
    }

    /** A state that could not be restored goes: the next VM saves a new one. */
    void discard(String key) {
        CacheDir.deleteQuietly(root.resolve(key));
    }

    private void evict() {
        try (var s = Files.list(root)) {
            List<Path> entries = s.filter(p -> Files.isRegularFile(p.resolve(STATE)))
                    .sorted(Comparator.comparing(WarmSnapshots::lastUsed).reversed()).toList();
            entries.stream().skip(KEEP).forEach(CacheDir::deleteQuietly);
        } catch (IOException e) {
            // eviction is housekeeping: the next save tries again
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
