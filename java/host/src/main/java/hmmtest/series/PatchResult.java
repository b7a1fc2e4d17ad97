package hmmtest.series;

import java.util.List;

/**
 * One patch: its overall status (the worst of its files, ignoring excluded ones; EXCLUDED if all
 * were) and the per-file results. {@code warnings} are git's, e.g. whitespace errors.
 */
public record PatchResult(int index, String subject, String tag, String sha256, ApplyStatus status,
        List<FileResult> files, List<String> warnings) {

    public PatchResult {
        files = List.copyOf(files);
        warnings = List.copyOf(warnings);
    }

    String title() {
        return tag.isEmpty() ? subject : tag + " " + subject;
    }
}
