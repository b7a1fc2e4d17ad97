package hmmtest.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheDirTest {
    @TempDir
    Path root;

    @Test
    void concurrentPublishersBuildOnceAndBothGetTheEntry() throws Exception {
        Path entry = root.resolve("kernels/k1");
        AtomicInteger builds = new AtomicInteger();
        CountDownLatch inside = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Path> a = pool.submit(() -> CacheDir.publish(entry, tmp -> {
                builds.incrementAndGet();
                inside.countDown();
                sleep(300);
                Files.writeString(tmp.resolve("artifact"), "built");
            }));
            inside.await();
            Future<Path> b = pool.submit(() -> CacheDir.publish(entry, tmp -> builds.incrementAndGet()));
            assertThat(a.get()).isEqualTo(entry);
            assertThat(b.get()).isEqualTo(entry);
        } finally {
            pool.shutdownNow();
        }
        assertThat(builds).hasValue(1);
        assertThat(Files.readString(entry.resolve("artifact"))).isEqualTo("built");
    }

    @Test
    void aFailedBuildLeavesNoEntryAndNoTemporary() throws IOException {
        Path entry = root.resolve("kernels/k2");
        assertThatThrownBy(() -> CacheDir.publish(entry, tmp -> {
            Files.writeString(tmp.resolve("half"), "x");
            throw new HarnessException(ExitCode.BUILD_FAILED, "make failed");
        })).hasMessage("make failed");
        assertThat(entry).doesNotExist();
        try (Stream<Path> s = Files.list(entry.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
        }
    }

    @Test
    void temporariesOfDeadRunsAreSwept() throws IOException {
        Path kernels = Files.createDirectories(root.resolve("kernels"));
        Path stale = Files.createDirectories(kernels.resolve("k3.tmp-dead"));
        Files.writeString(stale.resolve("half"), "x");
        CacheDir.sweepTemporaries(kernels);
        assertThat(stale).doesNotExist();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aStagedEntryExistsOnlyOnceCommittedAndAClosedOneLeavesNothing() throws Exception {
        Path entry = root.resolve("snapshots/k");
        try (CacheDir.Staging s = CacheDir.stage(entry).orElseThrow()) {
            Files.writeString(s.dir().resolve("ram"), "memory written while the VM booted");
            assertThat(entry).doesNotExist();
            s.commit();
        }
        assertThat(entry.resolve("ram")).hasContent("memory written while the VM booted");
        assertThat(CacheDir.stage(entry)).isEmpty();

        Path other = root.resolve("snapshots/k2");
        try (CacheDir.Staging s = CacheDir.stage(other).orElseThrow()) {
            Files.writeString(s.dir().resolve("ram"), "a VM that never got ready");
        }
        assertThat(other).doesNotExist();
        try (Stream<Path> left = Files.list(root.resolve("snapshots"))) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
        }
    }
}
