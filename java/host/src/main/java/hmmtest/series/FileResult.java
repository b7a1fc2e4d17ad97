package hmmtest.series;

import java.util.List;

/**
 * One file of one patch.
 *
 * @param path       as git names it ({@code old => new} for a rename)
 * @param excludedBy the {@code --exclude} glob that skipped it, null if it was not skipped
 * @param hunkCount  hunks the patch has for this file
 * @param errors     git's error lines about this file
 */
public record FileResult(String path, ApplyStatus status, String excludedBy, int hunkCount, List<HunkResult> hunks,
        List<String> errors) {

    public FileResult {
        hunks = List.copyOf(hunks);
        errors = List.copyOf(errors);
    }

    String describe() {
        String count = hunkCount + (hunkCount == 1 ? " hunk" : " hunks");
        return switch (status) {
            case EXCLUDED -> path + " (" + count + ") excluded by " + excludedBy;
            case CLEAN, NOT_TRIED -> path + " (" + count + ")";
            case OFFSET, FUZZ -> path + ": " + String.join(", ", hunks.stream()
                    .filter(h -> h.status() != ApplyStatus.CLEAN).map(HunkResult::describe).toList());
            case FAILED -> path + ": " + hunks.stream().filter(h -> h.status() == ApplyStatus.FAILED)
                    .map(HunkResult::describe).findFirst().orElse(String.join("; ", errors));
        };
    }
}
