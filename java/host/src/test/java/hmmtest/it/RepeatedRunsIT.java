package hmmtest.it;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.cli.Main;
import hmmtest.infra.CacheDir;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs in a row leave nothing behind: after each `smoke` (restored from the kernel's warm
 * snapshot) no process under this JVM (QEMU, a tool, a JVM, dockerd), nothing in java.io.tmpdir
 * (QEMU's socket directories; a private one for the duration, so other runs on the machine do not
 * blur it), no staging directory of a dead run in the cache, no file lock held by this JVM
 * (/proc/locks), no snapshot staging, and every run passes. Five in make test; twenty in
 * make test-all.
 */
class RepeatedRunsIT {
    private static final Path BASE = Path.of("target/it-results/repeated").toAbsolutePath();

    @Test
    void fiveSmokeRunsInARowLeaveNothingBehind() throws Exception {
        runs(5);
    }

    @Test
    @Tag("test-all")
    void twentySmokeRunsInARowLeaveNothingBehind() throws Exception {
        runs(20);
    }

    private static void runs(int n) throws Exception {
        assertThat(Main.execute("kernel", "--variant", "merged")).isZero();
        Path tmp = Files.createDirectories(BASE.resolve("tmpdir-" + n));
        CacheDir.deleteQuietly(BASE.resolve("runs-" + n));
        String savedTmp = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", tmp.toString());
        List<Double> seconds = new ArrayList<>();
        // Locks this JVM held before (the test runner's own, e.g. a flock of its JVM files) are not the runs'.
        List<String> lockedBefore = locksHeldByThisJvm();
        try {
            for (int i = 1; i <= n; i++) {
                Path results = BASE.resolve("runs-" + n).resolve("run-" + i);
                long t0 = System.nanoTime();
                int exit = Main.execute("smoke", "--variant", "merged", "--results-dir", results.toString());
                seconds.add((System.nanoTime() - t0) / 1e9);
                assertThat(exit).as("smoke run %d of %d", i, n).isZero();
                String what = "after run " + i + " of " + n;
                assertThat(descendants()).as("processes under this JVM " + what).isEmpty();
                try (Stream<Path> s = Files.list(tmp)) {
                    assertThat(s.map(Path::toString).toList()).as("java.io.tmpdir " + what).isEmpty();
                }
                List<String> locks = new ArrayList<>(locksHeldByThisJvm());
                locks.removeAll(lockedBefore);
                assertThat(locks).as("file locks held by this JVM " + what + " (not held before the runs)").isEmpty();
                assertThat(deadStaging()).as("staging directories of dead runs in the cache " + what).isEmpty();
                try (Stream<Path> s = Files.walk(results)) {
                    assertThat(s.map(p -> p.getFileName().toString()).filter(f -> f.contains(".tmp"))).as("results " + what)
                            .isEmpty();
                }
            }
        } finally {
            System.setProperty("java.io.tmpdir", savedTmp);
        }
        System.out.println(String.format(Locale.ROOT, "RepeatedRunsIT: %d smoke runs, seconds each: %s", n,
                seconds.stream().map(s -> String.format(Locale.ROOT, "%.1f", s)).toList()));
    }

    private static List<String> descendants() {
        // a process that is exiting right now may still be listed for a moment
        for (int tries = 0; ; tries++) {
            List<String> left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                    .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList();
            if (left.isEmpty() || tries == 50) {
                return left;
            }
            sleep(100);
        }
    }

    /** POSIX and OFD locks (FileChannel.lock is fcntl) whose owner is this JVM, from /proc/locks. */
    private static List<String> locksHeldByThisJvm() throws IOException {
        String pid = Long.toString(ProcessHandle.current().pid());
        List<String> held = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
            String[] f = line.trim().split("\\s+");
            // "1: POSIX  ADVISORY  WRITE 12345 fd:01:1234567 0 EOF" (a "->" marks a waiter)
            if (f.length > 5 && !f[1].equals("->") && f[4].equals(pid)) {
                held.add(f[1] + " " + f[3] + " " + f[5] + " " + pathOf(f[5])); // without the table's line number
            }
        }
        return held;
    }

    /** The path of an inode this JVM has open ("fe:00:2154515" in /proc/locks), for a readable failure. */
    private static String pathOf(String devInode) {
        String inode = devInode.substring(devInode.lastIndexOf(':') + 1);
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    Object ino = Files.getAttribute(fd, "unix:ino");
                    if (String.valueOf(ino).equals(inode)) {
                        return Files.readSymbolicLink(fd).toString();
                    }
                } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                    // closed meanwhile, or not a file
                }
            }
        } catch (IOException e) {
            return "?";
        }
        return "(no open file of this JVM)";
    }

    /** ".tmp-" entries in the cache whose entry lock nobody holds: left by a run that is gone. */
    private static List<String> deadStaging() throws IOException {
        Path root = CacheDir.fromEnvironment().root();
        List<String> dead = new ArrayList<>();
        for (String d : List.of("kernels", "images", "jre", "snapshots")) {
            Path dir = root.resolve(d);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.filter(p -> p.getFileName().toString().contains(".tmp-")).toList()) {
                    String name = p.getFileName().toString();
                    Path lock = p.resolveSibling(name.substring(0, name.indexOf(".tmp-")) + ".lock");
                    if (!Files.exists(lock)) {
                        dead.add(p.toString() + " (no lock file)");
                        continue;
                    }
                    try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE); FileLock l = ch.tryLock()) {
                        if (l != null) {
                            dead.add(p.toString());
                        }
                    }
                }
            }
        }
        return dead;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
