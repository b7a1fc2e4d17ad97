package hmmtest.series;

import java.util.List;

/**
 * The git diff part of a patch: exactly the text handed to {@code git apply}, and its structure.
 *
 * @param text  from the first {@code diff --git} line to the end of the last hunk, newline-terminated
 * @param files one entry per {@code diff --git} section, in patch order
 */
public record Diff(String text, List<FileDiff> files) {

    public Diff {
        files = List.copyOf(files);
    }

    /** Paths the diff touches, as git names them for {@code --exclude} (new path, or old path if deleted). */
    public List<String> paths() {
        return files.stream().map(FileDiff::path).toList();
    }

    /**
     * One file in the diff; {@code oldPath} is null for a new file, {@code newPath} null for a
     * deleted one. Paths are without the {@code a/} and {@code b/} prefixes.
     */
    public record FileDiff(String oldPath, String newPath, List<Hunk> hunks) {

        public FileDiff {
            hunks = List.copyOf(hunks);
        }

        /** The path git matches against {@code --exclude} and reports in most messages. */
        public String path() {
            return newPath != null ? newPath : oldPath;
        }

        /** The name as {@code git apply --verbose} prints it ("old => new" for a rename or copy). */
        public String gitName() {
            return oldPath != null && newPath != null && !oldPath.equals(newPath)
                    ? oldPath + " => " + newPath : path();
        }
    }

    /** One hunk; {@code number} is 1-based within its file, as in git's "Hunk #N" messages. */
    public record Hunk(int number, int oldStart, int oldCount, int newStart, int newCount, String header) {
    }
}
