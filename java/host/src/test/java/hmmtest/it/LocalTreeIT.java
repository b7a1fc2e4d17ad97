package hmmtest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmmtest.cli.Main;
import hmmtest.infra.Hashing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A developer's own tree as the base: configured and built in place (as a developer's tree is),
 * never written to, and rebuilt incrementally after an edit. The configure-only check runs in
 * {@code make test}; the full build (a cold build of its own, minutes) in {@code make test-all}.
 */
class LocalTreeIT {
    static final Path TREE = Path.of("target/it-work/devtree").toAbsolutePath();

    /** A copy of merged's source where `make defconfig` ran in place, as in a developer's checkout. */
    @BeforeAll
    static void developerTree() throws Exception {
        Kernels.cachedBuild("merged");
        if (Files.isRegularFile(TREE.resolve(".config"))) {
            return;
        }
        String src = Kernels.sourceTree("merged").toString();
        Path tmp = TREE.resolveSibling("devtree.tmp");
        run(List.of("rm", "-rf", tmp.toString()), null);
        Files.createDirectories(tmp.getParent());
        run(List.of("cp", "-a", src, tmp.toString()), null);
        run(List.of("make", "-s", "defconfig"), tmp); // in-tree: .config, include/config, scripts' host programs
        Files.move(tmp, TREE);
    }

    static void run(List<String> cmd, Path dir) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir == null ? null : dir.toFile()).inheritIO().start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd)).isZero();
    }

    /** Every file of the tree: path to size, modification time and sha256 (symlinks: their target). */
    static Map<String, String> snapshot(Path tree) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(tree)) {
            s.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> {
                try {
                    String what = Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p)
                            : Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis() + " " + Hashing.sha256(p);
                    m.put(tree.relativize(p).toString(), what);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return m;
    }

    @Test
    void aTreeConfiguredInPlaceIsAcceptedAndLeftByteForByteUnchanged() throws Exception {
        Map<String, String> before = snapshot(TREE);
        assertThat(before).containsKey(".config").containsKey("scripts/basic/fixdep");
        int exit = Main.execute("kernel", "--base", TREE.toString(), "--config-only");
        assertThat(exit).as("configure an in-tree-configured tree out of tree").isZero();
        assertThat(snapshot(TREE)).as("the developer's tree after hmmtest").isEqualTo(before);
    }

    @Test
    @Tag("test-all")
    void aOneLineEditInPlaceRebuildsIncrementally() throws Exception {
        Path dir = Path.of("target/it-results/local-tree").toAbsolutePath();
        assertThat(Main.execute("smoke", "--base", TREE.toString(), "--results-dir", dir.resolve("first").toString()))
                .as("smoke on the developer's tree").isZero();
        Path file = TREE.resolve("lib/test_hmm.c");
        List<String> lines = Files.readAllLines(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        lines.add(2, " * edited in place by LocalTreeIT " + System.nanoTime());
        Files.write(file, lines, java.nio.charset.StandardCharsets.ISO_8859_1);
        Map<String, String> before = snapshot(TREE);
        long start = System.nanoTime();
        assertThat(Main.execute("smoke", "--base", TREE.toString(), "--results-dir", dir.resolve("edited").toString()))
                .as("smoke after the edit").isZero();
        JsonNode m = new ObjectMapper().readTree(dir.resolve("edited/results.json").toFile()).path("kernelManifest");
        System.out.printf("[it] local tree, one line edited in place: smoke %.1f s, %s build, %d object(s)%n",
                (System.nanoTime() - start) / 1e9, m.path("buildKind").asText(), m.path("objectsCompiled").asLong());
        assertThat(m.path("buildKind").asText()).isEqualTo("incremental");
        assertThat(m.path("objectsCompiled").asLong()).isBetween(1L, 20L);
        assertThat(snapshot(TREE)).isEqualTo(before);
    }
}
