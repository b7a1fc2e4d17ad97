/**
 * Patch-series intake and application.
 *
 * <p>{@link hmmtest.series.SeriesReader#read} recognises a git format-patch file, an mbox, a
 * directory of {@code *.patch} files or a saved patchwork page and returns a
 * {@link hmmtest.series.Series} of {@link hmmtest.series.Patch}es.
 * {@link hmmtest.series.SeriesApplier#apply} applies it to a source tree with {@code git apply}
 * and returns an {@link hmmtest.series.ApplyReport} (patch, file and hunk results), or throws
 * {@link hmmtest.series.PatchApplyException} with the tree left as it was.
 */
package hmmtest.series;
