package hmmtest.kernel;

import hmmtest.infra.Hashing;
import hmmtest.series.ApplyReport;
import hmmtest.series.Series;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A source ready to configure: the base (identified by {@code baseIdentity}, the facts that go
 * into the cache key and the manifest), with the series applied when there is one. {@code view}
 * is every source file to build, by relative path; {@code mirror} is the working copy at a fixed
 * path it is synced into before a build. {@code local}: the base is a developer's tree (never
 * written to; the mirror copies it).
 */
public record PreparedSource(Path base, Map<String, String> baseIdentity, Series series, ApplyReport applyReport,
        String version, SourceMirror mirror, Supplier<Map<String, SourceMirror.Source>> view, boolean local) {

    /** The view, computed on first use: a cached build needs only the identity, not a scan of 80,000 files. */
    static Supplier<Map<String, SourceMirror.Source>> lazily(Supplier<Map<String, SourceMirror.Source>> compute) {
        return new Supplier<>() {
            private Map<String, SourceMirror.Source> value;

            @Override
            public synchronized Map<String, SourceMirror.Source> get() {
                if (value == null) {
                    value = compute.get();
                }
                return value;
            }
        };
    }

    void addTo(Hashing.Key key) {
        baseIdentity.forEach((k, v) -> {
            if (!k.equals("describe")) { // a label, not content: the same content under another label is the same build
                key.add("base." + k, v);
            }
        });
        if (series != null) {
            series.patches().forEach(p -> key.add("patch " + p.index(), p.sha256()));
        } else {
            key.add("series", "none");
        }
        if (applyReport != null) {
            key.add("excludes", applyReport.excludes());
        }
    }

    /**
     * Makes the mirror hold the view; returns what it did. The first sync of a Debian tree (ours,
     * in the cache) hard-links its files; a developer's tree is copied, so that no tool writing
     * into the working copy could ever reach the developer's files.
     */
    public SourceMirror.SyncStats sync() {
        return mirror.sync(view.get(), !local);
    }
}
