package hmmtest.it;

import hmmtest.debian.DebianArchive;
import hmmtest.image.Jre;
import hmmtest.infra.CacheDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * A cache of the tests' own (HMMTEST_CACHE) with what a prebuilt-kernel run needs besides the
 * kernel and the guest image: the private apt index (for busybox-static's version), the
 * busybox .deb and the jlink'd JRE, taken from the shared cache (built there first if missing,
 * as any run would). Big read-only files are hard links; every file a run rewrites is a copy, so
 * nothing a test does to its cache can reach the shared one. Tests that damage an artifact
 * replace the file (a new inode), never write through a link.
 */
final class PrivateCache {
    private PrivateCache() {}

    static Path create(Path dir) throws IOException {
        CacheDir shared = CacheDir.fromEnvironment();
        if (dir.toAbsolutePath().normalize().startsWith(shared.root().toAbsolutePath().normalize())) {
            throw new IllegalArgumentException(dir + " is inside the shared cache " + shared.root());
        }
        CacheDir.deleteQuietly(dir);
        Files.createDirectories(dir);
        // busybox-static (and the index it is resolved with), as the image build will ask for it
        DebianArchive.Deb busybox = new DebianArchive(shared).fetch("busybox-static", "");
        Path apt = Files.createDirectories(dir.resolve("apt"));
        Path sharedApt = shared.root().resolve("apt");
        try (Stream<Path> s = Files.list(sharedApt)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                Files.copy(f, apt.resolve(f.getFileName()));
            }
        }
        linkTree(sharedApt.resolve("lists"), apt.resolve("lists"));
        Files.writeString(apt.resolve("updated"), Instant.now().toString()); // a copy: fresh, so no apt-get update
        Path debs = Files.createDirectories(dir.resolve("debs"));
        Files.createLink(debs.resolve(busybox.file().getFileName()), busybox.file());
        Path sidecar = busybox.file().resolveSibling(busybox.file().getFileName() + ".sha256");
        if (Files.isRegularFile(sidecar)) {
            Files.copy(sidecar, debs.resolve(sidecar.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path jre = Jre.build(shared).getParent();
        linkTree(jre, dir.resolve("jre").resolve(jre.getFileName()));
        return dir;
    }

    /** A copy of a tree whose files are hard links (directories are new). */
    private static void linkTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else if (Files.isSymbolicLink(p)) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p)) {
                    Files.createLink(target, p);
                }
            }
        }
    }

    /** Replaces {@code file} by a copy with one byte changed in the middle, keeping its size and time. */
    static void damage(Path file) throws IOException {
        Path copy = file.resolveSibling(file.getFileName() + ".damaged");
        Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(copy.toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x5a);
        }
        Files.setLastModifiedTime(copy, Files.getLastModifiedTime(file));
        Files.move(copy, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static boolean root() {
        String uid = hmmtest.infra.Exec.capture(List.of("id", "-u"));
        return uid != null && uid.trim().equals("0");
    }

    static void mountTmpfs(Path dir, String size) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "hmmtest-it-full", dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("mount -t tmpfs on " + dir + " failed: " + out);
        }
    }

    static void unmount(Path dir) throws IOException, InterruptedException {
        if (!mounted(dir)) {
            return;
        }
        Process p = new ProcessBuilder("umount", dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            new ProcessBuilder("umount", "-l", dir.toString()).start().waitFor(); // busy: detach it at least
            throw new IOException("umount " + dir + " failed: " + out);
        }
    }

    static boolean mounted(Path dir) throws IOException {
        String abs = dir.toAbsolutePath().normalize().toString();
        return Files.readAllLines(Path.of("/proc/self/mounts")).stream().anyMatch(l -> l.split(" ")[1].equals(abs));
    }
}
