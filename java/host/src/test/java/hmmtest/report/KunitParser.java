package hmmtest.report;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import hmmtest.infra.CacheDir;
import hmmtest.infra.Hashing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The kernel's own KTAP parser (tools/testing/kunit/kunit_parser.py) from the kernel source trees
 * in the hmmtest cache, run with python3. Tests that need it are skipped, with the reason, when
 * no unpacked tree or no python3 is there: never passed without it.
 */
final class KunitParser {
    private KunitParser() {}

    /** The kunit tool directory of each cached source tree, one per distinct kunit_parser.py. */
    static List<Path> kunitDirs() throws IOException {
        Path src = CacheDir.fromEnvironment().root().resolve("src");
        assumeTrue(Files.isDirectory(src), "no kernel source trees in " + src + " (build a kernel first)");
        Map<String, Path> byParser = new LinkedHashMap<>();
        try (Stream<Path> trees = Files.list(src)) {
            for (Path d : trees.sorted().map(t -> t.resolve("tools/testing/kunit")).toList()) {
                if (Files.isRegularFile(d.resolve("kunit_parser.py"))) {
                    byParser.putIfAbsent(Hashing.sha256(d.resolve("kunit_parser.py")), d);
                }
            }
        }
        assumeTrue(!byParser.isEmpty(), "no tools/testing/kunit/kunit_parser.py under " + src);
        assumeTrue(python3(), "python3 is not installed");
        return List.copyOf(byParser.values());
    }

    /** The parsed tree: name, status, counts, skip_reason, log and subtests of each test. */
    static JsonNode parse(Path kunitDir, Path ktap) throws Exception {
        Path out = Files.createTempFile("kunit", ".json");
        try {
            Process p = new ProcessBuilder(List.of("python3", Fixtures.dir("kunit_parse.py").toString(),
                    kunitDir.toString(), ktap.toString(), out.toString()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(kunitDir + "/kunit_parser.py failed on " + ktap);
            }
            return Json.MAPPER.readTree(out.toFile());
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static boolean python3() {
        try {
            return new ProcessBuilder("python3", "--version").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
