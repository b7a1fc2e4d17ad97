package hmmtest.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one definition of how a selection names tests, for the guest (which filters its plan) and
 * the host (which refuses a selection that names nothing before anything is built or booted).
 * A selection is a comma-separated list of globs over test ids ("hmm.hmm_device_private.anon_read");
 * "*" matches any run of characters, dots included; everything else is literal.
 * The catalog of every test id is written into the guest jar when it is built ({@value #CATALOG}).
 */
public final class TestSelection {
    /** Resource listing every test id the guest can run, one per line, in plan order. */
    public static final String CATALOG = "META-INF/hmmtest/tests.txt";
    /** Tests that crash the kernel on purpose: planned only when a selection names them explicitly. */
    public static final String PROBE_PREFIX = "crashprobe.";

    private TestSelection() {}

    public static List<String> globs(String commaList) {
        List<String> out = new ArrayList<>();
        if (commaList == null) {
            return out;
        }
        for (String p : commaList.split(",")) {
            if (!p.isBlank()) {
                out.add(p.trim());
            }
        }
        return out;
    }

    public static String globToRegex(String glob) {
        return String.join(".*", Arrays.stream(glob.split("\\*", -1)).map(Pattern::quote).toList());
    }

    public static boolean matchesAny(String id, List<String> globs) {
        for (String g : globs) {
            if (Pattern.matches(globToRegex(g), id)) {
                return true;
            }
        }
        return false;
    }

    /** The ids of the catalog that the selection (and not the skip list) names. */
    public static List<String> selected(List<String> catalog, List<String> select, List<String> skip) {
        return catalog.stream().filter(id -> (select.isEmpty() || matchesAny(id, select)) && !matchesAny(id, skip))
                .toList();
    }

    /**
     * The plan the guest runs for a selection, in its order: the selected ids of the catalog, the
     * crash probes only when a glob of the selection starts with {@value #PROBE_PREFIX}.
     */
    public static List<String> plan(List<String> catalog, List<String> select, List<String> skip) {
        boolean probes = namesProbes(select);
        return selected(catalog, select, skip).stream().filter(id -> probes || !id.startsWith(PROBE_PREFIX)).toList();
    }

    /** Whether a selection plans the crash probes. */
    public static boolean namesProbes(List<String> select) {
        return select.stream().anyMatch(g -> g.startsWith(PROBE_PREFIX));
    }

    /** A selection that names exactly these tests (each id is a glob that matches only itself). */
    public static String exactly(List<String> ids) {
        for (String id : ids) {
            if (id.contains(",") || id.contains("*") || id.isBlank()) {
                throw new IllegalArgumentException("a test id cannot be selected on its own: '" + id + "'");
            }
        }
        return String.join(",", ids);
    }

    /** The catalog in this class path's guest jar (the guest itself); empty when there is none. */
    public static List<String> catalog() {
        try (InputStream in = TestSelection.class.getClassLoader().getResourceAsStream(CATALOG)) {
            return in == null ? List.of() : read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The catalog of a guest jar file (the host: the jar it puts into the image); empty when it has none. */
    public static List<String> catalog(java.nio.file.Path guestJar) {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(guestJar.toFile())) {
            java.util.zip.ZipEntry e = zip.getEntry(CATALOG);
            if (e == null) {
                return List.of();
            }
            try (InputStream in = zip.getInputStream(e)) {
                return read(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the test catalog of " + guestJar + ": " + e.getMessage(), e);
        }
    }

    private static List<String> read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
}
