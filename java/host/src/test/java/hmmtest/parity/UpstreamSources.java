package hmmtest.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmmtest.infra.CacheDir;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the upstream hmm-tests.c files come from: the system property {@code hmmtest.upstream}
 * (files or directories, separated by the path separator), else the kernel builds in the cache,
 * which keep their tree's copy at {@code kernels/NAME/upstream/hmm-tests.c}: the newest build of
 * each kernel series (major.minor) is taken.
 */
final class UpstreamSources {
    static final String PROPERTY = "hmmtest.upstream";
    private static final Pattern VERSION_IN_NAME = Pattern.compile("-(\\d+\\.\\d+[^-]*)-");

    /** One hmm-tests.c: the kernel version it belongs to ("7.3.4-1~bpo13+1"), its series ("7.3"), where from. */
    record Source(String version, String series, Path file, String origin) {}

    private UpstreamSources() {}

    /** Explains where it looked, for a SKIP when nothing is found. */
    static String searched() {
        return "-D" + PROPERTY + " is not set and no cached kernel build has upstream/hmm-tests.c under "
                + CacheDir.fromEnvironment().root().resolve("kernels") + " (run `make kernel` or pass -D" + PROPERTY + "=PATH)";
    }

    static List<Source> find() {
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            List<Source> out = new ArrayList<>();
            for (String p : prop.split(File.pathSeparator)) {
                Path path = Path.of(p.trim());
                Path file = Files.isDirectory(path) ? locateIn(path) : path;
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException(PROPERTY + ": no hmm-tests.c at " + path);
                }
                String version = versionOf(file);
                out.add(new Source(version, series(version), file, PROPERTY));
            }
            return out;
        }
        return fromCache(CacheDir.fromEnvironment().root().resolve("kernels"));
    }

    private static Path locateIn(Path dir) {
        for (Path p : List.of(dir.resolve("hmm-tests.c"), dir.resolve("upstream/hmm-tests.c"),
                dir.resolve("tools/testing/selftests/mm/hmm-tests.c"))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return dir.resolve("hmm-tests.c");
    }

    /** The newest build per series among {@code kernels/*} (temporaries and lock files skipped). */
    static List<Source> fromCache(Path kernels) {
        if (!Files.isDirectory(kernels)) {
            return List.of();
        }
        Map<String, Source> newest = new LinkedHashMap<>();
        Map<String, Long> newestTime = new LinkedHashMap<>();
        try (Stream<Path> dirs = Files.list(kernels)) {
            for (Path dir : dirs.sorted().toList()) {
                String name = dir.getFileName().toString();
                Path file = dir.resolve("upstream/hmm-tests.c");
                if (name.contains(".tmp-") || !Files.isRegularFile(file)) {
                    continue;
                }
                String version = versionOf(file);
                String series = series(version);
                long time = Files.getLastModifiedTime(file).toMillis();
                Source s = new Source(version, series, file, name);
                Source old = newest.get(series);
                if (old == null || VERSIONS.compare(version, old.version()) > 0
                        || (VERSIONS.compare(version, old.version()) == 0 && time > newestTime.get(series))) {
                    newest.put(series, s);
                    newestTime.put(series, time);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ArrayList<>(newest.values());
    }

    /** source.version of the build's manifest.json, else the version in the directory name, else "unknown". */
    static String versionOf(Path hmmTestsC) {
        Path buildDir = hmmTestsC.getParent() == null ? null : hmmTestsC.getParent().getParent();
        if (buildDir != null) {
            Path manifest = buildDir.resolve("manifest.json");
            if (Files.isRegularFile(manifest)) {
                try {
                    JsonNode v = new ObjectMapper().readTree(manifest.toFile()).path("source").path("version");
                    if (v.isTextual()) {
                        return v.asText();
                    }
                } catch (IOException e) {
                    // fall through to the name
                }
            }
            Matcher m = VERSION_IN_NAME.matcher(buildDir.getFileName().toString());
            if (m.find()) {
                return m.group(1);
            }
        }
        return "unknown";
    }

    /** "7.3" of "7.3.4-1~bpo13+1"; the whole string if it has no major.minor. */
    static String series(String version) {
        Matcher m = Pattern.compile("^(\\d+\\.\\d+)").matcher(version);
        return m.find() ? m.group(1) : version;
    }

    /** Compares versions by their numeric runs ("6.12.117" > "6.12.9"). */
    static final Comparator<String> VERSIONS = (a, b) -> {
        String[] x = a.split("\\D+");
        String[] y = b.split("\\D+");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (x[i].isEmpty() || y[i].isEmpty()) {
                continue;
            }
            int c = Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    };
}
