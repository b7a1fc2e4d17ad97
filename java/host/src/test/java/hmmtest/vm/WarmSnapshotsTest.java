package hmmtest.vm;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.infra.CacheDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarmSnapshotsTest {

    @Test
    void evictionKeepsTheMostRecentlyUsedAndNoOrphanLocks(@TempDir Path home) throws Exception {
        Path root = home.resolve("cache");
        WarmSnapshots snapshots = new WarmSnapshots(new CacheDir(root));
        Path dir = root.resolve("snapshots");
        for (int i = 0; i < WarmSnapshots.KEEP + 2; i++) {
            Path e = Files.createDirectories(dir.resolve("key" + i));
            Files.writeString(e.resolve(WarmSnapshots.STATE), "state");
            Files.writeString(e.resolve(WarmSnapshots.RAM), "ram");
            Files.createFile(dir.resolve("key" + i + ".lock"));
            Files.setLastModifiedTime(e, FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        Files.createFile(dir.resolve("failedsave.lock"));

        snapshots.evict();

        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()).sorted()).containsExactly(
                    "key2", "key2.lock", "key3", "key3.lock", "key4", "key4.lock", "key5", "key5.lock",
                    "key6", "key6.lock", "key7", "key7.lock");
        }
        assertThat(snapshots.find("key7")).isPresent();
        assertThat(snapshots.find("key0")).isEmpty();
    }
}
