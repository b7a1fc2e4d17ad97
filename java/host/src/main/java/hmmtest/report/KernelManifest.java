package hmmtest.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a kernel was built from, as far as reports need it: the base source's identity, the patch
 * series, the config hash and the compiler. Read from results.json's {@code kernelManifest}; every
 * field may be missing (older results), so text fields are "" and lists empty rather than null.
 */
public record KernelManifest(Map<String, String> source, List<Patch> series, List<String> excludes,
        List<String> profiles, String configSha256, String compiler, String kernelRelease, double buildSeconds,
        List<PatchApply> apply) {

    /** One patch of the series as the manifest names it. */
    public record Patch(int index, String subject, String tag, String author, String sha256, List<String> files) {
        /** {@code [PATCH 2/3] mm/hmm: subject}, as a mailing list shows it. */
        public String title() {
            return tag.isEmpty() ? subject : tag + " " + subject;
        }
    }

    /** How one patch applied (clean, offset, fuzz, excluded, failed). */
    public record PatchApply(int index, String status) {}

    public static final KernelManifest NONE = new KernelManifest(Map.of(), List.of(), List.of(), List.of(), "", "",
            "", 0, List.of());

    static KernelManifest from(JsonNode m) {
        if (m == null || !m.isObject()) {
            return NONE;
        }
        Map<String, String> source = new LinkedHashMap<>();
        m.path("source").properties().forEach(e -> source.put(e.getKey(), e.getValue().asText()));
        List<Patch> series = new ArrayList<>();
        for (JsonNode p : m.path("series")) {
            series.add(new Patch(p.path("index").asInt(series.size() + 1), p.path("subject").asText(""),
                    p.path("tag").asText(""), p.path("author").asText(""), p.path("sha256").asText(""),
                    Json.strings(p.path("files"))));
        }
        List<PatchApply> apply = new ArrayList<>();
        for (JsonNode a : m.path("apply")) {
            apply.add(new PatchApply(a.path("index").asInt(), a.path("status").asText("")));
        }
        return new KernelManifest(source, series, Json.strings(m.path("excludes")), Json.strings(m.path("profiles")),
                m.path("configSha256").asText(""), m.path("compiler").asText(""), m.path("kernelRelease").asText(""),
                m.path("buildSeconds").asDouble(0), apply);
    }

    /**
     * The base in one line: {@code linux-source-7.3 7.3.4-1~bpo13+1 (sha256 703e369ddd4c)} for a
     * Debian source package, otherwise the identity's fields as they are (a local tree's path and
     * commit, say).
     */
    public String describeSource() {
        if (source.isEmpty()) {
            return "";
        }
        if (source.containsKey("package")) {
            String sha = source.getOrDefault("sha256", "");
            return (source.get("package") + " " + source.getOrDefault("version", "")).strip()
                    + (sha.isEmpty() ? "" : " (sha256 " + Json.shortHash(sha) + ")");
        }
        StringBuilder sb = new StringBuilder();
        source.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
        return sb.toString();
    }

    /** The apply status of patch {@code index}, or "" when the manifest has no apply report. */
    public String applyStatus(int index) {
        return apply.stream().filter(a -> a.index() == index).map(PatchApply::status).findFirst().orElse("");
    }
}
