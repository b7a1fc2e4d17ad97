package hmmtest.series;

import java.io.IOException;

/** The input is not a patch series in any of the accepted formats, or a diff in it is broken. */
public class SeriesFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /** What {@link SeriesReader} accepts; appended to every "nothing usable found" message. */
    static final String EXPECTED = "expected a git format-patch file, an mbox, a directory of .patch files"
            + " or a patchwork page with a 'Patch' section";

    public SeriesFormatException(String message) {
        super(message);
    }
}
