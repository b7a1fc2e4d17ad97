package hmmtest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmmtest.cli.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * BACKEND=container for real: the same selection run through the local backend and through the
 * container backend (toolchain image built if missing), compared test for test; afterwards no
 * container of ours exists and the host firewall is as it was. In {@code make test} both backends
 * boot the same kernel, merged as the host built it, handed over as a prebuilt kernel (the
 * container builds its own guest image and runs its own QEMU); the kernel build inside the
 * container, a cold build of its own toolchain (10-20 min here), runs in {@code make test-all},
 * where the container's manifest must also name its toolchain and the same source and config.
 *
 * <p>Needs a Docker engine (.ci/run starts one) and, in the JVM's environment, the Testcontainers
 * variables the pom's failsafe configuration sets. Skipped on a machine without an engine.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerBackendIT {
    static final String SELECT = "hmm.hmm_device_private.*";

    @Test
    void containerBackendBootsTheSameKernelAndAgreesWithLocal() throws Exception {
        assertThat(System.getenv("TESTCONTAINERS_RYUK_DISABLED")).as("failsafe sets the Testcontainers variables")
                .isEqualTo("true");
        String forwardBefore = forwardPolicy();
        Path merged = Kernels.cachedBuild("merged");
        String[] kernel = {"--kernel", merged.resolve("bzImage").toString(), "--module",
                merged.resolve("test_hmm.ko").toString(), "--kernel-config", merged.resolve("config").toString()};
        Path localDir = Path.of("target/it-results/backend-local-prebuilt").toAbsolutePath();
        Path containerDir = Path.of("target/it-results/backend-container-prebuilt").toAbsolutePath();
        long t0 = System.nanoTime();
        int localExit = Main.execute(concat(new String[] {"--backend", "local", "run"}, kernel, new String[] {"--select",
                SELECT, "--results-dir", localDir.toString()}));
        long t1 = System.nanoTime();
        int containerExit = Main.execute(concat(new String[] {"--backend", "container", "run"}, kernel,
                new String[] {"--select", SELECT, "--results-dir", containerDir.toString()}));
        long t2 = System.nanoTime();
        System.out.printf("[it] same kernel: local backend %.1f s, container backend %.1f s%n", (t1 - t0) / 1e9,
                (t2 - t1) / 1e9);
        assertThat(localExit).as("local exit code").isZero();
        assertThat(containerExit).as("container exit code").isZero();
        Map<String, String> localTests = outcomes(read(localDir.resolve("results.json")));
        assertThat(localTests).as("local results").isNotEmpty().allSatisfy((id, status) -> {
            assertThat(id).startsWith("hmm.hmm_device_private.");
            assertThat(status).isEqualTo("PASS");
        });
        JsonNode container = read(containerDir.resolve("results.json"));
        assertThat(outcomes(container)).as("container results, test for test").isEqualTo(localTests);
        assertThat(container.path("accelerator").asText()).isEqualTo("tcg");
        assertThat(DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("hmmtest.backend", "container")).exec())
                .as("containers labelled hmmtest.backend=container after the run").isEmpty();
        assertThat(forwardPolicy()).as("iptables FORWARD policy").isEqualTo(forwardBefore);
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }

    @Test
    @org.junit.jupiter.api.Tag("test-all")
    void containerBackendBuildsItsOwnKernelAndAgreesWithLocal() throws Exception {
        assertThat(System.getenv("TESTCONTAINERS_RYUK_DISABLED")).as("failsafe sets the Testcontainers variables")
                .isEqualTo("true");
        String forwardBefore = forwardPolicy();

        Path localDir = Path.of("target/it-results/backend-local").toAbsolutePath();
        Path containerDir = Path.of("target/it-results/backend-container").toAbsolutePath();
        long t0 = System.nanoTime();
        int localExit = Main.execute("--backend", "local", "run", "--variant", "merged", "--select", SELECT,
                "--results-dir", localDir.toString());
        long t1 = System.nanoTime();
        int containerExit = Main.execute("--backend", "container", "run", "--variant", "merged", "--select", SELECT,
                "--results-dir", containerDir.toString());
        long t2 = System.nanoTime();
        System.out.printf("[it] local backend %.1f s, container backend %.1f s%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9);

        assertThat(localExit).as("local exit code").isZero();
        assertThat(containerExit).as("container exit code").isZero();

        JsonNode local = read(localDir.resolve("results.json"));
        JsonNode container = read(containerDir.resolve("results.json"));
        Map<String, String> localTests = outcomes(local);
        Map<String, String> containerTests = outcomes(container);
        assertThat(localTests).as("local results").isNotEmpty().allSatisfy((id, status) -> {
            assertThat(id).startsWith("hmm.hmm_device_private.");
            assertThat(status).isEqualTo("PASS");
        });
        assertThat(containerTests).as("container results, test for test").isEqualTo(localTests);
        assertThat(container.path("accelerator").asText()).isEqualTo("tcg");

        JsonNode localManifest = manifest(local);
        JsonNode containerManifest = manifest(container);
        assertThat(localManifest.path("toolchain").asText()).isEqualTo("local");
        assertThat(containerManifest.path("toolchain").asText()).startsWith("container:hmmtest/toolchain:")
                .contains(" debs:");
        assertThat(containerManifest.path("key").asText()).isNotEqualTo(localManifest.path("key").asText());
        assertThat(container.path("kernelBuild").asText()).isNotEqualTo(local.path("kernelBuild").asText());
        assertThat(containerManifest.path("source")).isEqualTo(localManifest.path("source"));
        assertThat(containerManifest.path("source").path("sha256").asText()).hasSize(64);
        assertThat(containerManifest.path("requestedSymbols")).isEqualTo(localManifest.path("requestedSymbols"));
        assertThat(containerManifest.path("profiles")).isEqualTo(localManifest.path("profiles"));

        assertThat(DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("hmmtest.backend", "container")).exec())
                .as("containers labelled hmmtest.backend=container after the run").isEmpty();
        assertThat(forwardPolicy()).as("iptables FORWARD policy").isEqualTo(forwardBefore);
    }

    private static JsonNode read(Path p) throws IOException {
        assertThat(p).exists();
        return new ObjectMapper().readTree(p.toFile());
    }

    private static Map<String, String> outcomes(JsonNode results) {
        Map<String, String> m = new TreeMap<>();
        results.path("tests").forEach(t -> m.put(t.path("id").asText(), t.path("status").asText()));
        return m;
    }

    private static JsonNode manifest(JsonNode results) throws IOException {
        return read(Path.of(results.path("kernelBuild").asText()).resolve("manifest.json"));
    }

    /** "-P FORWARD ACCEPT" (or "no iptables" where the tool is missing: then nothing could change it). */
    private static String forwardPolicy() throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("iptables", "-S", "FORWARD").redirectErrorStream(true).start();
        } catch (IOException e) {
            return "no iptables";
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(20, TimeUnit.SECONDS);
        return out.lines().filter(l -> l.startsWith("-P ")).findFirst().orElse(out.trim());
    }
}
