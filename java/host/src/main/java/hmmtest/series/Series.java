package hmmtest.series;

import java.nio.file.Path;
import java.util.List;

/**
 * A patch series read by {@link SeriesReader}.
 *
 * @param source  the file or directory it was read from
 * @param format  which input format it was recognised as
 * @param title   the cover letter subject (or patchwork series name); null if there was none
 * @param patches the patches in the order they are to be applied
 * @param notes   what was skipped or looked odd (cover letters, replies, missing numbers), for the log
 */
public record Series(Path source, Format format, String title, List<Patch> patches, List<String> notes) {

    public enum Format {
        /** One mail as written by {@code git format-patch}. */
        FORMAT_PATCH,
        /** Several mails in one file ({@code git format-patch --stdout}, {@code b4 am}). */
        MBOX,
        /** A directory of {@code *.patch} files. */
        DIRECTORY,
        /** A patchwork web page saved as text. */
        PATCHWORK_PAGE,
        /** A bare {@code git diff} without mail headers. */
        PLAIN_DIFF
    }

    public Series {
        patches = List.copyOf(patches);
        notes = List.copyOf(notes);
    }
}
