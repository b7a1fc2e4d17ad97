package hmmtest.kernel;

import hmmtest.infra.Hashing;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.io.file.PathUtils;

/**
 * A working copy of a kernel source at a fixed path, which a kept {@code O=} build directory
 * builds from. kbuild decides what to rebuild by path and modification time, so the copy keeps
 * one path and a file is touched only when its content changes; a changed file always gets a
 * fresh modification time (never the source's own, which may be older than an object built from
 * other content). A file whose content went back to an earlier state is therefore rebuilt too.
 *
 * <p>The mirror remembers, per path, where its content came from, that source's size and
 * modification time, and the content's sha256 ({@code state.tsv}). A sync hashes only files whose
 * source stat changed, and copies only files whose content changed. While a sync runs a marker
 * file exists; a mirror found with the marker (an interrupted sync) is checked file by file.
 */
public final class SourceMirror {
    private final Path dir;
    private final Path tree;
    private final Path stateFile;
    private final Path syncing;

    /** One file of the desired content: where it comes from and how it looked there. */
    public record Source(Path file, String origin, TreeScan.Stat stat) {}

    /** What a sync did: files hashed, copied, deleted, and how many files the view holds. */
    public record SyncStats(int files, int hashed, int copied, int deleted, long millis) {
        @Override
        public String toString() {
            return files + " files, " + copied + " copied, " + deleted + " deleted, " + hashed + " hashed ("
                    + millis + " ms)";
        }
    }

    /** The remembered state of one path. */
    record Entry(String origin, long size, long mtimeNanos, String sha256) {}

    public SourceMirror(Path dir) {
        this.dir = dir;
        this.tree = dir.resolve("tree");
        this.stateFile = dir.resolve("state.tsv");
        this.syncing = dir.resolve("syncing");
    }

    public Path tree() {
        return tree;
    }

    public Path dir() {
        return dir;
    }

    /**
     * The content hash of every file of {@code view} (reusing remembered hashes where the source's
     * stat is unchanged), without touching the working copy: a local tree's identity.
     */
    public String contentHash(Map<String, Source> view) {
        Map<String, Entry> state = readState();
        MessageDigest md = Hashing.sha256();
        for (Map.Entry<String, Source> e : new TreeMap<>(view).entrySet()) {
            Entry prev = state.get(e.getKey());
            Source s = e.getValue();
            String sha = prev != null && unchanged(prev, s) ? prev.sha256() : sha256(s.file(), s.stat().symlink());
            md.update((e.getKey() + "\t" + sha + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * Makes the working copy hold exactly {@code view}. {@code mayLink}: an empty copy may be
     * populated with hard links to the sources (their content is never written through: the
     * mirror replaces files by rename), which is how the first sync of a big tree stays cheap.
     */
    public SyncStats sync(Map<String, Source> view, boolean mayLink) {
        long start = System.currentTimeMillis();
        try {
            Files.createDirectories(tree);
            boolean interrupted = Files.exists(syncing);
            Map<String, Entry> state = readState();
            boolean populate = state.isEmpty();
            if (populate) {
                PathUtils.cleanDirectory(tree); // no state: nothing in the tree can be trusted
            }
            Files.writeString(syncing, "sync started " + java.time.Instant.now() + "\n");
            int hashed = 0;
            int copied = 0;
            int deleted = 0;
            Map<String, Entry> next = new HashMap<>(view.size() * 2);
            for (Map.Entry<String, Source> e : view.entrySet()) {
                String rel = e.getKey();
                Source s = e.getValue();
                Entry prev = state.get(rel);
                Path target = tree.resolve(rel);
                if (prev != null && unchanged(prev, s) && (!interrupted || Files.exists(target, LinkOption.NOFOLLOW_LINKS))) {
                    next.put(rel, prev);
                    continue;
                }
                String sha = sha256(s.file(), s.stat().symlink());
                hashed++;
                if (prev == null || !prev.sha256().equals(sha) || !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    place(s, target, populate && mayLink);
                    copied++;
                }
                next.put(rel, new Entry(s.origin(), s.stat().size(), s.stat().mtimeNanos(), sha));
            }
            for (String rel : state.keySet()) {
                if (!view.containsKey(rel)) {
                    Files.deleteIfExists(tree.resolve(rel));
                    deleted++;
                }
            }
            writeState(next);
            Files.delete(syncing);
            return new SyncStats(view.size(), hashed, copied, deleted, System.currentTimeMillis() - start);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean unchanged(Entry prev, Source s) {
        return prev.origin().equals(s.origin()) && prev.size() == s.stat().size()
                && prev.mtimeNanos() == s.stat().mtimeNanos();
    }

    /**
     * A hash of the mirrored content of the paths {@code filter} accepts, from the remembered
     * state (no file is read): e.g. every Kconfig file, to tell whether a configuration can stay.
     */
    public String stamp(java.util.function.Predicate<String> filter) {
        MessageDigest md = Hashing.sha256();
        new TreeMap<>(readState()).forEach((rel, e) -> {
            if (filter.test(rel)) {
                md.update((rel + "\t" + e.sha256() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        });
        return HexFormat.of().formatHex(md.digest());
    }

    /** Puts the source's content at target: a fresh file (new mtime) replacing any old one by rename. */
    private static void place(Source s, Path target, boolean link) throws IOException {
        Files.createDirectories(target.getParent());
        if (s.stat().symlink()) {
            Files.deleteIfExists(target);
            Files.createSymbolicLink(target, Files.readSymbolicLink(s.file()));
            return;
        }
        if (link) {
            try {
                Files.deleteIfExists(target);
                Files.createLink(target, s.file());
                return;
            } catch (IOException | UnsupportedOperationException e) {
                // another filesystem: copy
            }
        }
        Path tmp = target.resolveSibling(".hmmtest-sync-" + target.getFileName());
        Files.copy(s.file(), tmp, StandardCopyOption.REPLACE_EXISTING); // new inode, mtime now
        if (Files.isExecutable(s.file())) {
            tmp.toFile().setExecutable(true, false);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String sha256(Path file, boolean symlink) {
        if (!symlink) {
            return Hashing.sha256(file);
        }
        try {
            return Hashing.sha256("symlink:" + Files.readSymbolicLink(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Map<String, Entry> readState() {
        Map<String, Entry> m = new HashMap<>();
        if (!Files.isRegularFile(stateFile)) {
            return m;
        }
        try {
            for (String line : Files.readAllLines(stateFile, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t", -1);
                if (f.length == 5) {
                    m.put(f[0], new Entry(f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), f[4]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return new HashMap<>(); // an unreadable state is no state: the next sync starts over
        }
        return m;
    }

    private void writeState(Map<String, Entry> state) throws IOException {
        Path tmp = stateFile.resolveSibling("state.tsv.tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, Entry> e : new TreeMap<>(state).entrySet()) {
                Entry v = e.getValue();
                w.write(e.getKey() + "\t" + v.origin() + "\t" + v.size() + "\t" + v.mtimeNanos() + "\t" + v.sha256() + "\n");
            }
        }
        Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The view of a tree as it is on disk: every source file of it, from one origin. */
    public static Map<String, Source> viewOf(Path root, String origin) {
        Map<String, Source> view = new HashMap<>();
        TreeScan.scan(root).forEach((rel, stat) -> view.put(rel, new Source(root.resolve(rel), origin, stat)));
        return view;
    }

    /** The view with the files of an overlay (a series applied to copies) put over it; absent files are deleted. */
    public static Map<String, Source> overlay(Map<String, Source> base, Path overlayRoot, List<String> touched,
            String origin) {
        Map<String, Source> view = new HashMap<>(base);
        for (String rel : touched) {
            Path f = overlayRoot.resolve(rel);
            if (Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    view.put(rel, new Source(f, origin, TreeScan.Stat.of(Files.readAttributes(f,
                            java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS))));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                view.remove(rel);
            }
        }
        return view;
    }

}
