package hmmtest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmmtest.infra.ExitCode;
import hmmtest.infra.Hashing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults of the cache, in a cache of the test's own (HMMTEST_CACHE, see PrivateCache) with the
 * cached merged kernel booted as a prebuilt kernel (--kernel/--module): nothing here can touch
 * the shared cache.
 * <ol>
 * <li>The cache filesystem full while the guest image (85 MiB) is written: a 24 MiB tmpfs
 * mounted on the cache's images/. Exit 9 with a message naming the entry, nothing published,
 * and the next run, with space, builds the image and passes. Needs root (mount); CI runs as root.</li>
 * <li>Cache entries changed after they were built (one byte of the imported bzImage and of the
 * guest image, size and time kept): detected before anything boots, said, rebuilt, and the run
 * passes on intact files.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CacheFaultsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path BASE = Path.of("target/it-results/cache-faults").toAbsolutePath();
    private static final Path CACHE = BASE.resolve("cache");
    private static Path kernel;

    @BeforeAll
    static void privateCache() throws Exception {
        kernel = Kernels.cachedBuild("merged"); // the shared cache's build: read only, never changed
        PrivateCache.unmount(CACHE.resolve("images")); // left mounted by a killed earlier run
        PrivateCache.create(CACHE);
    }

    private static ChildCli.Result smoke(String name) throws Exception {
        return ChildCli.run(Map.of("HMMTEST_CACHE", CACHE.toString()), BASE.resolve(name + ".log"), Duration.ofMinutes(6),
                "smoke", "--kernel", kernel.resolve("bzImage").toString(), "--module", kernel.resolve("test_hmm.ko").toString(),
                "--kernel-config", kernel.resolve("config").toString(), "--accel", "tcg", "--no-snapshot",
                "--results-dir", BASE.resolve(name).toString());
    }

    @Test
    @Order(1)
    void aFullCacheFilesystemIsExit9PublishesNothingAndTheNextRunRecovers() throws Exception {
        if (!PrivateCache.root()) {
            fail("CacheFaultsIT needs root: it mounts a 24 MiB tmpfs as the cache's images/ directory (CI runs as root)");
        }
        Path images = CACHE.resolve("images");
        ChildCli.Result full;
        List<String> left;
        PrivateCache.mountTmpfs(images, "24m");
        try {
            full = smoke("full");
            try (Stream<Path> s = Files.list(images)) {
                left = s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".lock")).toList();
            }
        } finally {
            PrivateCache.unmount(images);
        }
        assertThat(full.exit()).as("exit code of smoke with a full cache; output:\n%s", full.output())
                .isEqualTo(ExitCode.NO_SPACE.code);
        assertThat(full.output())
                .contains("hmmtest: no space left on device while building the cache entry " + images.resolve("initramfs-"))
                .contains("nothing was published");
        assertThat(left).as("what the failed image build left in images/").isEmpty();

        ChildCli.Result again = smoke("recovered");
        assertThat(again.exit()).as("the next run, with space; output:\n%s", again.output()).isZero();
        assertThat(again.output()).contains("[image] build initramfs done").contains("5 tests: 5 passed");
        try (Stream<Path> s = Files.list(images)) {
            assertThat(s.filter(p -> Files.isRegularFile(p.resolve("initramfs.cpio"))).count()).isEqualTo(1);
        }
    }

    @Test
    @Order(2)
    void entriesChangedAfterTheBuildAreDetectedBeforeBootAndRebuilt() throws Exception {
        Path entry = only(CACHE.resolve("kernels"), "prebuilt-");
        Path image = only(CACHE.resolve("images"), "initramfs-");
        if (entry == null || image == null) { // the test above did not leave them: make them
            assertThat(smoke("setup").exit()).isZero();
            entry = only(CACHE.resolve("kernels"), "prebuilt-");
            image = only(CACHE.resolve("images"), "initramfs-");
        }
        String bzImageSha = JSON.readTree(entry.resolve("manifest.json").toFile()).path("artifacts").path("bzImage").asText();
        String imageSha = JSON.readTree(image.resolve("image.json").toFile()).path("sha256").asText();
        PrivateCache.damage(entry.resolve("bzImage"));
        PrivateCache.damage(image.resolve("initramfs.cpio"));
        assertThat(Hashing.sha256(entry.resolve("bzImage"))).isNotEqualTo(bzImageSha);

        ChildCli.Result r = smoke("damaged");
        assertThat(r.exit()).as("smoke over damaged entries; output:\n%s", r.output()).isZero();
        assertThat(r.output())
                .contains("[kernel] the cached build " + entry + " does not match its manifest")
                .contains("bzImage: sha256 ")
                .contains("[image] the cached guest image " + image.resolve("initramfs.cpio") + " does not match its image.json")
                .contains("5 tests: 5 passed");
        // Both were checked before the VM started, and what booted is intact again.
        assertThat(r.output().indexOf("does not match its manifest")).isLessThan(r.output().indexOf("[vm] VM 1: start"));
        assertThat(r.output().indexOf("does not match its image.json")).isLessThan(r.output().indexOf("[vm] VM 1: start"));
        assertThat(Hashing.sha256(entry.resolve("bzImage"))).isEqualTo(bzImageSha);
        // the image was built again (not byte for byte the same: its class-data archive differs) and is intact
        String rebuiltSha = JSON.readTree(image.resolve("image.json").toFile()).path("sha256").asText();
        assertThat(Hashing.sha256(image.resolve("initramfs.cpio"))).isEqualTo(rebuiltSha);
        assertThat(image.resolve("initramfs.cpio")).exists();
        assertThat(imageSha).isNotEmpty();
        JsonNode results = JSON.readTree(BASE.resolve("damaged/results.json").toFile());
        assertThat(results.path("tests")).hasSize(5);
        // nothing half-discarded stays behind
        List<String> leftovers = new ArrayList<>();
        for (String d : List.of("kernels", "images")) {
            try (Stream<Path> s = Files.list(CACHE.resolve(d))) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp-")).forEach(leftovers::add);
            }
        }
        assertThat(leftovers).isEmpty();
    }

    private static Path only(Path dir, String prefix) throws Exception {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> found = s.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isDirectory(p)
                    && !p.getFileName().toString().contains(".tmp-")).toList();
            return found.size() == 1 ? found.get(0) : null;
        }
    }
}
