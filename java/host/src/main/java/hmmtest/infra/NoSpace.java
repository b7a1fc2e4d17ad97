package hmmtest.infra;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A full filesystem (ENOSPC, or EDQUOT) is not a bug of the harness and not a failed build: the
 * user must free space or point the cache elsewhere. It gets its own message and exit code
 * ({@link ExitCode#NO_SPACE}) wherever it surfaces.
 */
public final class NoSpace {
    private NoSpace() {}

    /** True when {@code t} or one of its causes is a write that found no space (or no quota) left. */
    public static boolean isNoSpace(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof HarnessException h && h.exitCode() == ExitCode.NO_SPACE) {
                return true;
            }
            String m = c instanceof FileSystemException fs ? fs.getReason() + " " + fs.getMessage() : c.getMessage();
            if (c instanceof IOException && m != null
                    && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    /** The message for a failure that ran out of space, or null when {@code t} is something else. */
    public static String describe(Throwable t) {
        if (!isNoSpace(t)) {
            return null;
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof HarnessException h && h.exitCode() == ExitCode.NO_SPACE) {
                return h.getMessage();
            }
        }
        Path cache = CacheDir.fromEnvironment().root();
        return "no space left on device (" + rootCause(t) + "); the cache is " + cache + " (" + free(cache)
                + "): free space there or point HMMTEST_CACHE at a filesystem with room";
    }

    /**
     * The failure of a write into the cache entry {@code entry}: names the entry, the space left
     * there, and that nothing was published (the entry was being built in a temporary).
     */
    public static HarnessException inCache(Path entry, Throwable cause) {
        return new HarnessException(ExitCode.NO_SPACE, "no space left on device while building the cache entry " + entry
                + " (" + free(entry.getParent()) + "; " + rootCause(cause) + "): nothing was published, the partial"
                + " entry was removed; free space there or point HMMTEST_CACHE at a filesystem with room, then run"
                + " again", cause);
    }

    /** "N MiB free of M MiB" for the filesystem holding {@code p}, or why that is unknown. */
    public static String free(Path p) {
        try {
            Path existing = p;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return "free space unknown";
            }
            FileStore fs = Files.getFileStore(existing);
            return (fs.getUsableSpace() >> 20) + " MiB free of " + (fs.getTotalSpace() >> 20) + " MiB";
        } catch (IOException e) {
            return "free space unknown: " + e.getMessage();
        }
    }

    private static String rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }
}
