package hmmtest.parity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How cached kernel builds are picked: the newest per series, never a temporary. */
class UpstreamSourcesTest {

    private static void build(Path kernels, String name, String version, long mtime) throws IOException {
        Path up = Files.createDirectories(kernels.resolve(name).resolve("upstream"));
        Path c = Files.writeString(up.resolve("hmm-tests.c"), "TEST_F(hmm, open_close)\n{\n}\n");
        Files.setLastModifiedTime(c, FileTime.fromMillis(mtime));
        if (version != null) {
            Files.writeString(kernels.resolve(name).resolve("manifest.json"), "{\"source\":{\"version\":\"" + version + "\"}}");
        }
    }

    @Test
    void newestBuildPerSeries(@TempDir Path kernels) throws IOException {
        build(kernels, "merged-7.3.4-1_bpo13+1-aaaa", "7.3.4-1~bpo13+1", 1000);
        build(kernels, "merged-7.3.4-1_bpo13+1-bbbb", "7.3.4-1~bpo13+1", 2000);
        build(kernels, "baseline-6.12.117-1_deb12u1-cccc", "6.12.117-1~deb12u1", 5000);
        build(kernels, "baseline-6.12.9-1-dddd", null, 9000);
        build(kernels, "baseline-6.12.200-1-eeee.tmp-1234", "6.12.200", 9000);

        assertThat(UpstreamSources.fromCache(kernels))
                .extracting(s -> s.series() + " " + s.version() + " " + s.origin())
                .containsExactlyInAnyOrder(
                        "7.3 7.3.4-1~bpo13+1 merged-7.3.4-1_bpo13+1-bbbb",
                        "6.12 6.12.117-1~deb12u1 baseline-6.12.117-1_deb12u1-cccc");
    }

    @Test
    void noCacheMeansNoSources(@TempDir Path tmp) {
        assertThat(UpstreamSources.fromCache(tmp.resolve("absent"))).isEmpty();
    }

    @Test
    void versionsCompareNumerically() {
        assertThat(UpstreamSources.VERSIONS.compare("6.12.117-1", "6.12.9-1")).isPositive();
        assertThat(UpstreamSources.VERSIONS.compare("7.3.4", "6.12.117")).isPositive();
        assertThat(UpstreamSources.series("6.12.117-1~deb12u1")).isEqualTo("6.12");
    }
}
