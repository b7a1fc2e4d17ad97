package hmmtest.infra;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who wrote a result file: the harness's version (the Maven version, and the git commit of the
 * checkout it runs from when there is one). Every JSON document a run writes starts with
 * {@link #header}, so a reader knows the document's kind and schema generation before anything else.
 */
public final class Harness {
    /** Bumped when a JSON document's fields change meaning or go (new fields do not bump it). */
    public static final int SCHEMA_VERSION = 2;
    private static volatile String version;

    private Harness() {}

    public static String version() {
        if (version == null) {
            String v = Harness.class.getPackage().getImplementationVersion();
            String base = v != null ? v : "0.1.0-SNAPSHOT";
            String commit = Exec.capture(List.of("git", "-C", Project.root().toString(), "rev-parse", "--short=12",
                    "HEAD"));
            String dirty = Exec.capture(List.of("git", "-C", Project.root().toString(), "status", "--porcelain",
                    "--untracked-files=no"));
            version = base + (commit == null || commit.isBlank() ? "" : "+" + commit.strip()
                    + (dirty != null && !dirty.isBlank() ? "-dirty" : ""));
        }
        return version;
    }

    /** The first fields of a JSON document: {@code schema}, {@code schemaVersion}, {@code harness}, {@code startedAt}. */
    public static Map<String, Object> header(String schema, Instant startedAt) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", schema);
        m.put("schemaVersion", SCHEMA_VERSION);
        m.put("harness", version());
        m.put("startedAt", startedAt == null ? null : startedAt.toString());
        return m;
    }
}
