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
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CacheDir.class);
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
            LOG.debug("cache hit {}", entry);
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
        try (Staging staging = stageLocked(entry)) {
            if (staging != null) {
                LOG.debug("cache miss {}: building in {}", entry, staging.dir());
                try {
                    builder.build(staging.dir());
                    staging.commit();
                } catch (IOException | RuntimeException e) {
                    if (NoSpace.isNoSpace(e)) { // said as such; close() below removes the partial entry
                        throw NoSpace.inCache(entry, e);
                    }
                    throw e;
                }
                LOG.debug("cache entry published {}", entry);
            }
            return entry;
        } catch (IOException e) {
            throw NoSpace.isNoSpace(e) ? NoSpace.inCache(entry, e) : new UncheckedIOException(e);
        }
    }

    /**
     * An entry being built: its temporary directory, held under the entry's lock until it is
     * committed (renamed into place) or closed (deleted). For entries whose content must exist
     * before the decision to keep them is made (a warm VM's memory file, written while it boots).
     */
    public static final class Staging implements AutoCloseable {
        private final Path entry;
        private final Path tmp;
        private final FileChannel lockChannel;
        private final FileLock lock;
        private final java.util.concurrent.locks.ReentrantLock local;
        private boolean committed;

        private Staging(Path entry, Path tmp, FileChannel lockChannel, FileLock lock,
                java.util.concurrent.locks.ReentrantLock local) {
            this.entry = entry;
            this.tmp = tmp;
            this.lockChannel = lockChannel;
            this.lock = lock;
            this.local = local;
        }

        public Path dir() {
            return tmp;
        }

        /** Renames the temporary into place: the entry exists from now on. */
        public Path commit() throws IOException {
            try {
                Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cache must be on one filesystem: " + entry, e);
            }
            committed = true;
            return entry;
        }

        @Override
        public void close() throws IOException {
            try {
                if (!committed) {
                    deleteQuietly(tmp);
                }
                lock.release();
                lockChannel.close();
            } finally {
                if (local != null) {
                    local.unlock();
                }
            }
        }
    }

    /**
     * Takes the entry's lock (waiting for another run or thread building it) and returns a fresh
     * temporary directory to build it in; empty when the entry exists (it may have been built
     * while we waited).
     */
    public static java.util.Optional<Staging> stage(Path entry) throws IOException {
        if (Files.isDirectory(entry)) {
            return java.util.Optional.empty();
        }
        java.util.concurrent.locks.ReentrantLock local = LOCAL_LOCKS.computeIfAbsent(entry.toAbsolutePath(),
                k -> new java.util.concurrent.locks.ReentrantLock());
        local.lock();
        try {
            Staging s = stageLocked(entry);
            if (s == null) {
                local.unlock();
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(new Staging(s.entry, s.tmp, s.lockChannel, s.lock, local));
        } catch (IOException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    /** The entry's process lock and a temporary, or null when the entry exists; the caller holds the local lock. */
    private static Staging stageLocked(Path entry) throws IOException {
        if (Files.isDirectory(entry)) {
            return null;
        }
        Files.createDirectories(entry.getParent());
        Path lockFile = entry.resolveSibling(entry.getFileName() + ".lock");
        FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = ch.lock();
            if (Files.isDirectory(entry)) {
                lock.release();
                ch.close();
                return null; // another run built it while we waited
            }
            Path tmp = entry.resolveSibling(entry.getFileName() + ".tmp-" + UUID.randomUUID());
            Files.createDirectories(tmp);
            return new Staging(entry, tmp, ch, lock, null);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
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

    /**
     * Takes a published entry out of the cache at once (an atomic rename to a ".tmp-" sibling,
     * which is then deleted; sweepTemporaries finishes the job if this run dies first): an entry
     * found damaged must not be found again, by this run or another.
     */
    public static void discard(Path entry) {
        Path aside = entry.resolveSibling(entry.getFileName() + ".tmp-discarded-" + UUID.randomUUID());
        try {
            Files.move(entry, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.NoSuchFileException e) {
            return; // another run discarded it first
        } catch (IOException e) {
            aside = entry;
        }
        deleteQuietly(aside);
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
