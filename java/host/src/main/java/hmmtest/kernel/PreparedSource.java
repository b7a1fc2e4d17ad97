package hmmtest.kernel;

import hmmtest.infra.Hashing;
import hmmtest.series.ApplyReport;
import hmmtest.series.Series;
import java.nio.file.Path;
import java.util.Map;

/**
 * A source tree ready to configure: the base (identified by {@code baseIdentity}, the facts that
 * go into the cache key and the manifest), with the series applied when there is one.
 */
public record PreparedSource(Path tree, Map<String, String> baseIdentity, Series series, ApplyReport applyReport,
        String version) {

    void addTo(Hashing.Key key) {
        baseIdentity.forEach((k, v) -> key.add("base." + k, v));
        if (series != null) {
            series.patches().forEach(p -> key.add("patch " + p.index(), p.sha256()));
        } else {
            key.add("series", "none");
        }
        if (applyReport != null) {
            key.add("excludes", applyReport.excludes());
        }
    }
}
