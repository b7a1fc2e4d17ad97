package hmmtest.series;

import java.nio.file.Path;
import java.util.List;

/**
 * What applying a series did, patch by patch, file by file, hunk by hunk. Plain records: a Jackson
 * ObjectMapper serialises it as is.
 */
public record ApplyReport(Path tree, List<String> excludes, Integer minContext, List<PatchResult> patches) {

    public ApplyReport {
        excludes = List.copyOf(excludes);
        patches = List.copyOf(patches);
    }

    /** For the console, e.g. {@code [2/3] [PATCH 2/3] lib: foo: applied with offset} and one line per file. */
    public String toText() {
        StringBuilder out = new StringBuilder("Patch series on ").append(tree)
                .append(excludes.isEmpty() ? "" : " excluding " + String.join(", ", excludes))
                .append(minContext == null ? "" : " with at least " + minContext + " context lines (fuzz allowed)")
                .append('\n');
        for (PatchResult p : patches) {
            out.append('[').append(p.index()).append('/').append(patches.size()).append("] ").append(p.title())
                    .append(": ").append(p.status().label()).append('\n');
            for (FileResult f : p.files()) {
                out.append(String.format("    %-20s %s%n", f.status().label(), f.describe()));
            }
            for (String w : p.warnings()) {
                out.append("    git ").append(w).append('\n');
            }
        }
        return out.toString();
    }
}
