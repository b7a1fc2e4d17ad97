package hmmtest.debian;

import hmmtest.infra.CacheDir;
import hmmtest.infra.Exec;
import hmmtest.infra.ExitCode;
import hmmtest.infra.HarnessException;
import hmmtest.infra.Hashing;
import hmmtest.infra.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Debian packages fetched with {@code apt-get download} through a private sources list and
 * private state directories, so the system's apt state is never touched and no root is needed.
 * Downloaded .debs are kept in the cache; a version once resolved can be pinned and reused.
 */
public final class DebianArchive {
    /** Suites added to the machine's own: linux-source-7.x lives in trixie-backports. */
    static final List<String> EXTRA_SUITES = List.of("trixie-backports");
    private static final Duration INDEX_MAX_AGE = Duration.ofHours(24);

    private final Path aptDir;
    private final Path debDir;
    private final Path sourcesList;
    private boolean refreshed;

    /** A downloaded package. */
    public record Deb(String name, String version, Path file, String sha256) {}

    public DebianArchive(CacheDir cache) {
        this.aptDir = cache.dir("apt");
        this.debDir = cache.dir("debs");
        this.sourcesList = aptDir.resolve("sources.list");
    }

    private List<String> aptOptions() {
        return List.of(
                "-o", "Dir::Etc::sourcelist=" + sourcesList,
                "-o", "Dir::Etc::sourceparts=-",
                "-o", "Dir::State::Lists=" + aptDir.resolve("lists"),
                "-o", "Dir::Cache=" + aptDir.resolve("cache"),
                "-o", "Debug::NoLocking=1");
    }

    private List<String> apt(String tool, String... args) {
        List<String> cmd = new ArrayList<>(List.of(tool));
        cmd.addAll(aptOptions());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Refreshes the package index when it is missing, older than a day, or {@code force}. */
    public void updateIndex(boolean force) {
        locked("update", () -> updateIndexLocked(force));
    }

    /** Runs body under an exclusive lock file, so concurrent runs never write the index or a .deb twice. */
    private void locked(String name, Runnable body) {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(aptDir.resolve(name + ".lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                java.nio.channels.FileLock ignored = ch.lock()) {
            body.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void updateIndexLocked(boolean force) {
        try {
            Files.createDirectories(aptDir.resolve("lists/partial"));
            Files.createDirectories(aptDir.resolve("cache/archives/partial"));
            String wanted = AptSources.render(AptSources.withExtraSuites(
                    AptSources.readMachine(Path.of("/etc/apt")), EXTRA_SUITES));
            boolean sourcesChanged = !Files.exists(sourcesList) || !Files.readString(sourcesList).equals(wanted);
            if (sourcesChanged) {
                Files.writeString(sourcesList, wanted);
            }
            Path stamp = aptDir.resolve("updated");
            boolean stale = !Files.exists(stamp)
                    || Files.getLastModifiedTime(stamp).toInstant().isBefore(Instant.now().minus(INDEX_MAX_AGE));
            if (!force && !sourcesChanged && !stale) {
                return;
            }
            try (Progress.Phase p = Progress.start("debian", "update package index")) {
                Exec.Result r = Exec.run(apt("apt-get", "-q", "update"), null, aptDir.resolve("update.log"), java.util.Map.of());
                if (r.exitCode() != 0) {
                    p.fail();
                    throw new HarnessException(ExitCode.INCOMPLETE,
                            "apt-get update with the private sources list failed; log: " + r.log() + "\n" + r.tail(10));
                }
            }
            Files.writeString(stamp, Instant.now().toString());
            Files.deleteIfExists(aptDir.resolve("resolved.properties"));
            refreshed = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Versions of a package in the index, newest first (apt's own order), memoized per index. */
    public List<String> versions(String pkg) {
        String memo = memo("versions " + pkg);
        if (memo != null) {
            return memo.isEmpty() ? new ArrayList<>() : new ArrayList<>(List.of(memo.split(",")));
        }
        String out = Exec.capture(apt("apt-cache", "madison", pkg));
        List<String> versions = new ArrayList<>();
        if (out != null) {
            for (String line : out.split("\n")) {
                String[] f = line.split("\\|");
                if (f.length >= 2 && f[0].trim().equals(pkg)) {
                    String v = f[1].trim();
                    if (!versions.contains(v)) {
                        versions.add(v);
                    }
                }
            }
        }
        remember("versions " + pkg, String.join(",", versions));
        return versions;
    }

    /** The newest package whose name starts with {@code prefix}, e.g. "linux-source-7.". */
    public String newestPackage(String prefix) {
        String memo = memo("newest " + prefix);
        if (memo != null && !memo.isEmpty()) {
            return memo;
        }
        String out = Exec.capture(apt("apt-cache", "pkgnames", prefix));
        if (out == null || out.isBlank()) {
            throw new HarnessException(ExitCode.INCOMPLETE, "no package named " + prefix + "* in the archive ("
                    + sourcesList + ")");
        }
        String newest = Stream.of(out.split("\n")).map(String::trim).filter(s -> !s.isEmpty())
                .filter(s -> s.substring(prefix.length()).matches("[0-9]+(\\.[0-9]+)*"))
                .max(Comparator.comparing((String s) -> s.substring(prefix.length()), DebianArchive::compareNumeric))
                .orElseThrow(() -> new HarnessException(ExitCode.INCOMPLETE, "no package named " + prefix + "N"));
        remember("newest " + prefix, newest);
        return newest;
    }

    /**
     * Resolves {@code version} ("" or null for the newest) and downloads the package, or reuses
     * the cached .deb. A pinned version that left the archive still works if it is cached.
     */
    public Deb fetch(String pkg, String version) {
        if (version != null && !version.isEmpty()) {
            Path cached = debDir.resolve(debFileName(pkg, version));
            if (Files.isRegularFile(cached)) {
                return new Deb(pkg, version, cached, sha256Of(cached));
            }
        }
        updateIndex(false);
        List<String> available = versions(pkg);
        if (available.isEmpty() && !refreshed) {
            updateIndex(true);
            available = versions(pkg);
        }
        if (available.isEmpty()) {
            throw new HarnessException(ExitCode.INCOMPLETE, pkg + " is not in the archive (sources: " + sourcesList + ")");
        }
        String v = version == null || version.isEmpty() ? available.get(0) : version;
        if (!available.contains(v)) {
            throw new HarnessException(ExitCode.USAGE, pkg + " version " + v + " is not in the archive; available: "
                    + String.join(", ", available));
        }
        Path target = debDir.resolve(debFileName(pkg, v));
        String version0 = v;
        locked("download", () -> {
            if (!Files.isRegularFile(target)) { // another run may have fetched it while we waited
                download(pkg, version0, target);
            }
        });
        return new Deb(pkg, v, target, sha256Of(target));
    }

    private void download(String pkg, String version, Path target) {
        try (Progress.Phase p = Progress.start("debian", "download " + pkg + " " + version)) {
            Path tmp = Files.createTempDirectory(debDir, ".download-");
            try {
                Exec.Result r = Exec.run(apt("apt-get", "-q", "download", pkg + "=" + version), tmp,
                        aptDir.resolve("download.log"), java.util.Map.of());
                Path deb;
                try (Stream<Path> s = Files.list(tmp)) {
                    deb = s.filter(f -> f.toString().endsWith(".deb")).findFirst().orElse(null);
                }
                if (r.exitCode() != 0 || deb == null) {
                    p.fail();
                    throw new HarnessException(ExitCode.INCOMPLETE, "apt-get download " + pkg + "=" + version
                            + " failed; log: " + r.log() + "\n" + r.tail(10));
                }
                p.note(Files.size(deb) / (1 << 20) + " MiB");
                Files.move(deb, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                CacheDir.deleteQuietly(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String debFileName(String pkg, String version) {
        return pkg + "_" + version.replace(':', '%') + ".deb";
    }

    /** sha256 of a .deb, remembered next to it so a warm run does not re-read 160 MB. */
    private static String sha256Of(Path deb) {
        Path side = deb.resolveSibling(deb.getFileName() + ".sha256");
        try {
            if (Files.isRegularFile(side)
                    && Files.getLastModifiedTime(side).compareTo(Files.getLastModifiedTime(deb)) >= 0) {
                return Files.readString(side).trim();
            }
            String sha = Hashing.sha256(deb);
            Files.writeString(side, sha + "\n");
            return sha;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "7.10" after "7.3": package name suffixes are dotted numbers. */
    static int compareNumeric(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(i < x.length ? Integer.parseInt(x[i]) : 0, i < y.length ? Integer.parseInt(y[i]) : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /**
     * Resolutions (newest package, versions) are remembered until the index changes, so a warm
     * run spawns no apt-cache at all.
     */
    private String memo(String key) {
        try {
            Path f = aptDir.resolve("resolved.properties");
            if (!Files.isRegularFile(f)) {
                return null;
            }
            java.util.Properties p = new java.util.Properties();
            try (var in = Files.newInputStream(f)) {
                p.load(in);
            }
            return p.getProperty(key);
        } catch (IOException e) {
            return null;
        }
    }

    private void remember(String key, String value) {
        locked("resolved", () -> {
            try {
                Path f = aptDir.resolve("resolved.properties");
                java.util.Properties p = new java.util.Properties();
                if (Files.isRegularFile(f)) {
                    try (var in = Files.newInputStream(f)) {
                        p.load(in);
                    }
                }
                p.setProperty(key, value);
                Path tmp = aptDir.resolve("resolved.properties.tmp");
                try (var out = Files.newOutputStream(tmp)) {
                    p.store(out, "memoized resolutions of the current index; deleted when the index is refreshed");
                }
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // memoization is an optimisation only
            }
        });
    }
}
