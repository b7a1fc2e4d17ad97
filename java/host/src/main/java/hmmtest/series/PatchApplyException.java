package hmmtest.series;

/**
 * A patch of the series does not apply. The message names the patch, the file, the hunk and quotes
 * git; {@link #report()} holds the results up to and including the failing patch (the patches
 * before it did apply, and were then reverted: the message's "tree:" line says so).
 */
public class PatchApplyException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int patchIndex;
    private final String subject;
    private final String file;
    private final String hunkHeader;
    private final String gitMessage;
    private final transient ApplyReport report;

    PatchApplyException(int patchIndex, int patchCount, String title, String subject, String file, String hunkHeader,
            String hunkPosition, String gitMessage, String treeState, ApplyReport report) {
        super(format(patchIndex, patchCount, title, file, hunkHeader == null ? null : hunkPosition + " " + hunkHeader,
                gitMessage, treeState));
        this.patchIndex = patchIndex;
        this.subject = subject;
        this.file = file;
        this.hunkHeader = hunkHeader;
        this.gitMessage = gitMessage;
        this.report = report;
    }

    private static String format(int index, int count, String title, String file, String hunk, String git,
            String treeState) {
        StringBuilder m = new StringBuilder("patch ").append(index).append(" of ").append(count)
                .append(" does not apply: ").append(title).append('\n');
        m.append("  file: ").append(file == null ? "(git did not name one)" : file).append('\n');
        if (hunk != null) {
            m.append("  hunk: ").append(hunk).append('\n');
        }
        String[] gitLines = git.split("\n");
        for (int i = 0; i < gitLines.length; i++) {
            m.append(i == 0 ? "  git:  " : "        ").append(gitLines[i]).append('\n');
        }
        return m.append("  tree: ").append(treeState).toString();
    }

    /** 1-based index of the failing patch in the series. */
    public int patchIndex() {
        return patchIndex;
    }

    public String subject() {
        return subject;
    }

    /** The first file that failed; null if git's error named none. */
    public String file() {
        return file;
    }

    /** The {@code @@ -a,b +c,d @@ ...} line of the failing hunk; null when the file failed as a whole. */
    public String hunkHeader() {
        return hunkHeader;
    }

    /** git's error lines, without the file content it dumps after "while searching for:". */
    public String gitMessage() {
        return gitMessage;
    }

    public ApplyReport report() {
        return report;
    }
}
