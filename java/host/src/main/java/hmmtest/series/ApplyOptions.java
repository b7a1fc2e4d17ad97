package hmmtest.series;

import java.util.List;

/**
 * How {@link SeriesApplier} calls git apply.
 *
 * @param excludes   globs passed as {@code git apply --exclude=GLOB}; {@code *} also matches "/"
 * @param minContext null (the default) keeps git's rule that every context line must match: no
 *                   fuzz. A patch that applies only by ignoring context may land in the wrong place,
 *                   and a test run on a wrongly patched kernel is worse than a clear failure. Set it
 *                   (git's {@code -C<n>}) to let git ignore context beyond n lines; such hunks are
 *                   reported as "applied with fuzz".
 */
public record ApplyOptions(List<String> excludes, Integer minContext) {

    public ApplyOptions {
        excludes = List.copyOf(excludes);
        if (minContext != null && minContext < 0) {
            throw new IllegalArgumentException("minContext must be >= 0, got " + minContext);
        }
    }

    public static ApplyOptions defaults() {
        return new ApplyOptions(List.of(), null);
    }

    public ApplyOptions withExcludes(String... globs) {
        return new ApplyOptions(List.of(globs), minContext);
    }

    public ApplyOptions withMinContext(int lines) {
        return new ApplyOptions(excludes, lines);
    }
}
