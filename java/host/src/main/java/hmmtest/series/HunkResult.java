package hmmtest.series;

/**
 * One hunk of one file.
 *
 * @param number    1-based within the file, as in git's "Hunk #N"
 * @param header    the {@code @@ ... @@} line
 * @param appliedAt first line of the hunk in the patched file; null unless applied
 * @param offset    lines between where the header said and where it applied (git's "offset N lines")
 * @param detail    "context reduced to 2/2" for fuzz, git's error for a failure, null otherwise
 */
public record HunkResult(int number, String header, ApplyStatus status, Integer appliedAt, int offset, String detail) {

    String describe() {
        String at = "hunk #" + number;
        return switch (status) {
            case OFFSET -> at + " at " + appliedAt + " (offset " + offset + (Math.abs(offset) == 1 ? " line)" : " lines)");
            case FUZZ -> at + " at " + appliedAt + " (" + detail + (offset == 0 ? "" : ", offset " + offset) + ")";
            case FAILED -> at + " " + header;
            default -> at;
        };
    }
}
