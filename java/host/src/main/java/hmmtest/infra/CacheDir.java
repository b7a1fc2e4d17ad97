package hmmtest.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.apache.commons.io.file.PathUtils;

/**
 * The cache outside the clone ({@code $HMMTEST_CACHE}, else {@code $XDG_CACHE_HOME/hmmtest}, else
 * {@code ~/.cache/hmmtest}). Entries are built in a temporary sibling and published with an
 * atomic rename, under a file lock, so an interrupted build never looks like a good one and two
 * concurrent runs build an entry once.
 */
public final class CacheDir {
    private final Path root;

    public CacheDir(Path root) {
        this.root = root;
    }

    public static CacheDir fromEnvironment() {
        String explicit = System.getenv("HMMTEST_CACHE");
        if (explicit != null && !explicit.isBlank()) {
            return new CacheDir(Path.of(explicit).toAbsolutePath());
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return new CacheDir(base.resolve("hmmtest"));
    }

    public Path root() {
        return root;
    }

    public Path dir(String first, String... more) {
        Path p = root.resolve(Path.of(first, more));
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** Builds the content of a cache entry. */
    @FunctionalInterface
    public interface Builder {
        void build(Path tmpDir) throws IOException;
    }

    /**
     * Returns {@code entry}, building it first if it is not there. The builder writes into a
     * fresh temporary directory that is renamed to {@code entry} only after it returned.
     */
    public static Path publish(Path entry, Builder builder) {
        if (Files.isDirectory(entry)) {
            return entry;
        }
        // File locks exclude other processes only; threads of this JVM queue on this lock first.
        java.util.concurrent.locks.ReentrantLock local = LOCAL_LOCKS.computeIfAbsent(entry.toAbsolutePath(),
                k -> new java.util.concurrent.locks.ReentrantLock());
        local.lock();
        try {
            return publishLocked(entry, builder);
        } finally {
            local.unlock();
        }
    }

    private static final java.util.concurrent.ConcurrentHashMap<Path, java.util.concurrent.locks.ReentrantLock>
            LOCAL_LOCKS = new java.util.concurrent.ConcurrentHashMap<>();

    private static Path publishLocked(Path entry, Builder builder) {
        if (Files.isDirectory(entry)) {
            return entry;
        }
        try {
            Files.createDirectories(entry.getParent());
            Path lockFile = entry.resolveSibling(entry.getFileName() + ".lock");
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = ch.lock()) {
                if (Files.isDirectory(entry)) {
                    return entry; // another run built it while we waited
                }
                Path tmp = entry.resolveSibling(entry.getFileName() + ".tmp-" + UUID.randomUUID());
                Files.createDirectories(tmp);
                try {
                    builder.build(tmp);
                    try {
                        Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE);
                    } catch (AtomicMoveNotSupportedException e) {
                        throw new IOException("cache must be on one filesystem: " + entry, e);
                    }
                } finally {
                    deleteQuietly(tmp);
                }
            }
            return entry;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes leftovers of interrupted builds (".tmp-*" siblings) below dir. */
    public static void sweepTemporaries(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().contains(".tmp-")).forEach(p -> {
                // A tmp dir whose lock is free belongs to a dead run.
                String name = p.getFileName().toString();
                Path lock = p.resolveSibling(name.substring(0, name.indexOf(".tmp-")) + ".lock");
                try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock l = ch.tryLock()) {
                    if (l != null) {
                        deleteQuietly(p);
                    }
                } catch (IOException | java.nio.channels.OverlappingFileLockException ignored) {
                    // in use by this or another run
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void deleteQuietly(Path p) {
        try {
            if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                PathUtils.delete(p);
            }
        } catch (IOException e) {
            // best effort; sweepTemporaries retries next run
        }
    }
}
