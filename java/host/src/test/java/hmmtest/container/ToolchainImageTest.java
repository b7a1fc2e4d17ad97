package hmmtest.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolchainImageTest {

    @Test
    void tagChangesWithThePackageListOnly(@TempDir Path checkout) throws IOException {
        Path dir = Files.createDirectories(checkout.resolve("container"));
        Files.writeString(dir.resolve("packages"), "gcc\nmake\n");
        Files.writeString(dir.resolve("build-image"), "#!/bin/sh\n");
        String tag = ToolchainImage.tag(checkout);
        assertThat(tag).matches("hmmtest/toolchain:[0-9a-f]{12}");
        assertThat(ToolchainImage.tag(checkout)).isEqualTo(tag);
        Files.writeString(dir.resolve("packages"), "gcc\nmake\nbc\n");
        assertThat(ToolchainImage.tag(checkout)).isNotEqualTo(tag);
    }

    @Test
    void theShippedRecipeHasATag() {
        Path root = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();
        assertThat(ToolchainImage.tag(root)).startsWith(ToolchainImage.REPOSITORY + ":");
    }

    @Test
    void mirrorIsTheOneServingTheReleaseSuite(@TempDir Path etcApt) throws IOException {
        Files.createDirectories(etcApt.resolve("sources.list.d"));
        Files.writeString(etcApt.resolve("sources.list.d/debian.sources"), """
                Types: deb
                URIs: http://mirror.example/debian-security
                Suites: bookworm-security
                Components: main

                Types: deb
                URIs: http://mirror.example/debian
                Suites: bookworm bookworm-updates
                Components: main
                """);
        assertThat(ToolchainImage.mirror(etcApt)).isEqualTo("http://mirror.example/debian");
    }

    @Test
    void toolchainIdentityNamesTagAndPackages() {
        ToolchainImage.Image image = new ToolchainImage.Image("hmmtest/toolchain:0123456789ab", "f".repeat(64));
        assertThat(image.toolchain()).isEqualTo("container:hmmtest/toolchain:0123456789ab debs:ffffffffffff");
    }

    @Test
    void testcontainersVariablesAreCheckedByValue() {
        assertThat(TestcontainersEnv.missing(TestcontainersEnv.wanted())).isEmpty();
        assertThat(TestcontainersEnv.missing(java.util.Map.of("TESTCONTAINERS_RYUK_DISABLED", "false")))
                .containsKeys("TESTCONTAINERS_RYUK_DISABLED", "TESTCONTAINERS_HOST_OVERRIDE",
                        "TESTCONTAINERS_TINYIMAGE_CONTAINER_IMAGE");
    }
}
