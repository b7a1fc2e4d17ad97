package hmmtest.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long each test took in a recorded run (milliseconds), read from the project's
 * {@value #FILE}. Shards and the JOBS queue are balanced by these figures; only their ratios
 * matter, so a TCG recording serves KVM hosts too. A test without a figure counts as the median.
 * The file is part of the checkout, so every shard of a CI matrix computes the same split.
 */
public final class TestDurations {
    public static final String FILE = "test-durations.tsv";
    /** A test with no recording and no median to fall back on (an empty table). */
    static final long UNKNOWN_MILLIS = 1000;

    private final Map<String, Long> millis;
    private final long median;

    public TestDurations(Map<String, Long> millis) {
        this.millis = Map.copyOf(millis);
        List<Long> sorted = millis.values().stream().sorted().toList();
        this.median = sorted.isEmpty() ? UNKNOWN_MILLIS : Math.max(1, sorted.get(sorted.size() / 2));
    }

    public static TestDurations none() {
        return new TestDurations(Map.of());
    }

    /** The project's table; an absent file gives equal weights (a plain count split). */
    public static TestDurations read(Path file) {
        if (!Files.isRegularFile(file)) {
            return none();
        }
        Map<String, Long> m = new LinkedHashMap<>();
        try {
            int n = 0;
            for (String line : Files.readAllLines(file)) {
                n++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length != 2 || !f[1].strip().matches("\\d+")) {
                    throw new IllegalArgumentException(file + ":" + n + ": expected 'TEST-ID<TAB>MILLIS', got '" + line + "'");
                }
                m.put(f[0].strip(), Long.parseLong(f[1].strip()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TestDurations(m);
    }

    public long expectedMillis(String test) {
        return millis.getOrDefault(test, median);
    }

    public boolean isEmpty() {
        return millis.isEmpty();
    }

    /**
     * The table from a run's results.json: the durations of the tests that passed, failed or were
     * skipped (a crash or a test that never ran says nothing about how long the test takes).
     */
    public static Map<String, Long> fromResults(Path resultsJson) throws IOException {
        JsonNode root = new ObjectMapper().readTree(resultsJson.toFile());
        Map<String, Long> m = new LinkedHashMap<>();
        for (JsonNode t : root.path("tests")) {
            String status = t.path("status").asText("");
            if (status.equals("PASS") || status.equals("FAIL") || status.equals("SKIP")) {
                m.put(t.path("id").asText(), Math.max(1, t.path("millis").asLong()));
            }
        }
        return m;
    }

    /** Writes a table with a header that says where its figures came from. */
    public static void write(Path file, Map<String, Long> millis, String source) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# Test durations in milliseconds, recorded from " + source + ".");
        lines.add("# Shards (SHARD=i/n) and the JOBS queue are balanced by them; refresh: make durations FROM=<results dir>");
        millis.forEach((id, ms) -> lines.add(id + "\t" + ms));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, lines);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
