package hmmtest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmmtest.cli.Main;
import hmmtest.infra.ExitCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The edit-test loop on real kernels: a one-line series on a built base is an incremental build
 * through the kept build directory; a kernel built elsewhere runs without a build, and a module
 * from another kernel is refused before boot; validate bisects a three-patch series whose second
 * patch breaks READ and names patch 2.
 */
class EditLoopIT {
    static final Path HOME = Path.of(System.getProperty("hmmtest.home", ".")).toAbsolutePath().normalize();
    static final Path BISECT_SERIES = HOME.resolve("kernel-config/series/bisect-three");

    @BeforeAll
    static void kernels() {
        Kernels.ensureBothGenerations();
    }

    static JsonNode json(Path f) throws IOException {
        return new ObjectMapper().readTree(f.toFile());
    }

    /** A one-line change to lib/test_hmm.c that no earlier run built (a fresh token), as a git-style patch. */
    static Path oneLineSeries(Path dir, String file) throws IOException {
        Path src = Kernels.sourceTree("merged");
        List<String> lines = Files.readAllLines(src.resolve(file), StandardCharsets.ISO_8859_1);
        String token = "hmmtest EditLoopIT " + System.nanoTime();
        String diff = "diff --git a/" + file + " b/" + file + "\n--- a/" + file + "\n+++ b/" + file + "\n"
                + "@@ -1,3 +1,4 @@\n " + lines.get(0) + "\n " + lines.get(1) + "\n+ * " + token + "\n " + lines.get(2) + "\n";
        Path patch = dir.resolve("one-line.patch");
        Files.createDirectories(dir);
        Files.writeString(patch, "From: hmmtest <hmmtest@localhost>\nSubject: [PATCH] one line of " + file + "\n\n---\n" + diff,
                StandardCharsets.ISO_8859_1);
        return patch;
    }

    @Test
    void aOneLineSeriesOnABuiltBaseIsAnIncrementalBuild() throws Exception {
        Path dir = Path.of("target/it-results/edit-loop-one-line").toAbsolutePath();
        // The working copy holds whatever was built last on merged (another IT's series, say): a
        // first one-line series brings it to merged + one line; the second is the measured edit.
        assertThat(Main.execute("kernel", "--base", "merged", "--series", oneLineSeries(dir.resolve("first"),
                "lib/test_hmm.c").toString())).as("first one-line series").isZero();
        Path series = oneLineSeries(dir, "lib/test_hmm.c");
        long start = System.nanoTime();
        int exit = Main.execute("smoke", "--base", "merged", "--series", series.toString(), "--results-dir",
                dir.resolve("smoke").toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(exit).as("smoke exit").isZero();
        JsonNode manifest = json(dir.resolve("smoke/results.json")).path("kernelManifest");
        System.out.printf("[it] edit loop: one line of lib/test_hmm.c: smoke %.1f s wall, %s build, %d object(s), make %.1f s%n",
                seconds, manifest.path("buildKind").asText(), manifest.path("objectsCompiled").asLong(),
                manifest.path("makeSeconds").asDouble());
        assertThat(manifest.path("buildKind").asText()).isEqualTo("incremental");
        assertThat(manifest.path("objectsCompiled").asLong()).as("objects recompiled").isBetween(1L, 20L);
    }

    @Test
    void aPrebuiltKernelRunsWithoutABuildAndAForeignModuleIsRefusedBeforeBoot() throws Exception {
        Path merged = Kernels.cachedBuild("merged");
        Path baseline = Kernels.cachedBuild("baseline");
        Path dir = Path.of("target/it-results/edit-loop-prebuilt").toAbsolutePath();
        int exit = Main.execute("run", "--kernel", merged.resolve("bzImage").toString(), "--module",
                merged.resolve("test_hmm.ko").toString(), "--kernel-config", merged.resolve("config").toString(),
                "--select", "hmm.hmm_device_private.open_close,hmm.hmm_device_private.anon_read,upstream.*",
                "--results-dir", dir.toString());
        assertThat(exit).as("run of a prebuilt kernel").isZero();
        JsonNode results = json(dir.resolve("results.json"));
        assertThat(results.path("kernelManifest").path("buildKind").asText()).isEqualTo("prebuilt");
        assertThat(results.toString()).contains("not run: no upstream hmm-tests in this image");

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        long start = System.nanoTime();
        int refused;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            refused = Main.execute("run", "--kernel", merged.resolve("bzImage").toString(), "--module",
                    baseline.resolve("test_hmm.ko").toString(), "--results-dir", dir.resolveSibling("refused").toString());
        } finally {
            System.setErr(old);
        }
        String message = err.toString(StandardCharsets.UTF_8);
        System.out.println("[it] foreign module: exit " + refused + " after " + (System.nanoTime() - start) / 1_000_000
                + " ms: " + message.strip());
        assertThat(refused).isEqualTo(ExitCode.USAGE.code);
        String mergedRelease = json(merged.resolve("manifest.json")).path("kernelRelease").asText();
        String baselineRelease = json(baseline.resolve("manifest.json")).path("kernelRelease").asText();
        assertThat(message).contains(mergedRelease).contains(baselineRelease);
        assertThat(dir.resolveSibling("refused").resolve("vm-1")).doesNotExist();
    }

    @Test
    void validateBisectsAThreePatchSeriesToItsSecondPatch() throws Exception {
        Path out = Path.of("target/it-results/edit-loop-bisect").toAbsolutePath();
        int exit = Main.execute("validate", "--base", "merged", "--series", BISECT_SERIES.toString(), "--select",
                "hmm.hmm_device_private.anon_read", "--fuzz-seconds", "0", "--out", out.toString());
        assertThat(exit).as("validate: new failure").isEqualTo(ExitCode.TESTS_FAILED.code);
        JsonNode b = json(out.resolve("summary.json")).path("bisection");
        System.out.println("[it] bisection: " + b);
        assertThat(b.path("status").asText()).isEqualTo("FOUND");
        assertThat(b.path("firstBad").asInt()).isEqualTo(2);
        assertThat(b.path("steps")).isNotEmpty();
        b.path("steps").forEach(st -> assertThat(st.has("buildSeconds")).isTrue());
        assertThat(Files.readString(out.resolve("summary.txt"))).contains("first bad patch: 2/3");
        assertThat(Files.readString(out.resolve("results.ktap"))).contains("# bisection: first bad patch: 2/3");
        assertThat(Files.readString(out.resolve("report.html"))).contains("<h2>Bisection</h2>");
    }
}
