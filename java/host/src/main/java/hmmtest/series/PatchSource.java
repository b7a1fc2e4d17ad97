package hmmtest.series;

import java.nio.file.Path;

/**
 * Where a patch came from: the file, the 1-based message number inside it (always 1 for a
 * single patch or a page) and the Message-ID when the source had one (null otherwise).
 */
public record PatchSource(Path file, int message, String messageId) {

    @Override
    public String toString() {
        return message > 1 ? file + " (message " + message + ")" : file.toString();
    }
}
