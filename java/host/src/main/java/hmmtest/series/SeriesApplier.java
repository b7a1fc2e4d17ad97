package hmmtest.series;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Applies a series to an unpacked source tree with real {@code git apply}, patch by patch.
 *
 * <p>Each patch is first checked with {@code git apply --check}; only if the whole patch would
 * apply is it applied. When a patch fails, the patches already applied are reversed
 * ({@code git apply -R}, newest first) so the tree is left exactly as it was before the series: a
 * half-patched tree would make the next attempt fail in confusing ways.
 */
public final class SeriesApplier {

    private static final Duration GIT_TIMEOUT = Duration.ofMinutes(5);

    private final ApplyOptions options;
    private final List<ExcludeGlob> globs;

    public SeriesApplier(ApplyOptions options) {
        this.options = options;
        this.globs = options.excludes().stream().map(ExcludeGlob::of).toList();
    }

    /** Applies every patch in order; throws, with the tree restored, at the first one that fails. */
    public ApplyReport apply(Series series, Path tree) throws IOException, PatchApplyException {
        if (!Files.isDirectory(tree)) {
            throw new IOException("source tree " + tree + " is not a directory");
        }
        GitApply git = new GitApply(tree, options, GIT_TIMEOUT);
        Path scratch = Files.createTempDirectory("hmmtest-series-");
        List<PatchResult> results = new ArrayList<>();
        List<Path> applied = new ArrayList<>();
        try {
            for (Patch patch : series.patches()) {
                Path file = scratch.resolve(String.format("%04d.patch", patch.index()));
                Files.write(file, patch.diffBytes());
                Diff diff = DiffScanner.find(patch.diff());
                if (diff == null) {
                    throw new IOException("patch " + patch.index() + " (" + patch.title() + ") holds no diff");
                }
                GitApply.Result check = git.check(file);
                GitApply.Result result = check.ok() ? git.apply(file) : check;
                PatchResult patchResult = result(patch, diff, GitApplyOutput.parse(result.output()), result.ok());
                results.add(patchResult);
                if (!result.ok()) {
                    String treeState = rollBack(git, applied);
                    throw failure(series, patch, diff, patchResult, result.output(), treeState,
                            new ApplyReport(tree, options.excludes(), options.minContext(), results));
                }
                applied.add(file);
            }
        } finally {
            deleteRecursively(scratch);
        }
        return new ApplyReport(tree, options.excludes(), options.minContext(), results);
    }

    private PatchResult result(Patch patch, Diff diff, GitApplyOutput out, boolean ok) {
        List<FileResult> files = new ArrayList<>();
        ApplyStatus status = null;
        for (Diff.FileDiff file : diff.files()) {
            FileResult r = fileResult(file, out);
            files.add(r);
            if (r.status() != ApplyStatus.EXCLUDED) {
                status = status == null ? r.status() : ApplyStatus.worst(status, r.status());
            }
        }
        if (status == null) {
            status = ApplyStatus.EXCLUDED;
        }
        if (!ok && status != ApplyStatus.FAILED) {
            status = ApplyStatus.FAILED; // git failed on something it did not pin on a file
        }
        return new PatchResult(patch.index(), patch.subject(), patch.tag(), patch.sha256(), status, files, out.warnings);
    }

    private FileResult fileResult(Diff.FileDiff file, GitApplyOutput out) {
        String name = file.gitName();
        int count = file.hunks().size();
        if (out.skipped.contains(name) || out.skipped.contains(file.path())) {
            String glob = globs.stream().filter(g -> g.matches(file.path())).map(ExcludeGlob::glob).findFirst()
                    .orElse("git, though no --exclude glob matches it here");
            List<HunkResult> hunks = file.hunks().stream()
                    .map(h -> new HunkResult(h.number(), h.header(), ApplyStatus.EXCLUDED, null, 0, null)).toList();
            return new FileResult(name, ApplyStatus.EXCLUDED, glob, count, hunks, List.of());
        }
        List<String> errors = out.errorsFor(name);
        Integer failedAt = out.failedAt.containsKey(name) ? out.failedAt.get(name) : out.failedAt.get(file.path());
        List<GitApplyOutput.HunkNote> notes = out.notes.getOrDefault(name, List.of());
        int failedHunk = failedAt == null ? Integer.MAX_VALUE : failingHunk(file, notes, failedAt);

        List<HunkResult> hunks = new ArrayList<>();
        ApplyStatus fileStatus = errors.isEmpty() ? ApplyStatus.CLEAN : ApplyStatus.FAILED;
        for (Diff.Hunk h : file.hunks()) {
            HunkResult r;
            if (h.number() == failedHunk) {
                r = new HunkResult(h.number(), h.header(), ApplyStatus.FAILED, null, 0, String.join("\n", errors));
            } else if (h.number() > failedHunk || !errors.isEmpty() && failedAt == null) {
                r = new HunkResult(h.number(), h.header(), ApplyStatus.NOT_TRIED, null, 0, null); // git stops at the first failure
            } else {
                r = applied(h, notes);
            }
            hunks.add(r);
            fileStatus = ApplyStatus.worst(fileStatus, r.status());
        }
        return new FileResult(name, fileStatus, null, count, hunks, errors);
    }

    /** git names the failing hunk by its old start line; git stops at it, so it follows the last success. */
    private static int failingHunk(Diff.FileDiff file, List<GitApplyOutput.HunkNote> notes, int oldStart) {
        int lastOk = notes.stream().mapToInt(GitApplyOutput.HunkNote::number).max().orElse(0);
        return file.hunks().stream().filter(h -> h.oldStart() == oldStart && h.number() > lastOk)
                .mapToInt(Diff.Hunk::number).findFirst().orElse(lastOk + 1);
    }

    private static HunkResult applied(Diff.Hunk h, List<GitApplyOutput.HunkNote> notes) {
        GitApplyOutput.HunkNote note = notes.stream().filter(n -> n.number() == h.number()).findFirst().orElse(null);
        if (note == null) {
            // A fuzzed hunk that did not move is reported without a number: match it by position.
            note = notes.stream().filter(n -> n.number() == 0)
                    .min(Comparator.comparingInt(n -> Math.abs(n.appliedAt() - h.newStart()))).orElse(null);
            if (note != null && Math.abs(note.appliedAt() - h.newStart()) > h.newCount() + 3) {
                note = null;
            }
        }
        if (note == null) {
            return new HunkResult(h.number(), h.header(), ApplyStatus.CLEAN, h.newStart(), 0, null);
        }
        if (note.contextReduced() != null) {
            return new HunkResult(h.number(), h.header(), ApplyStatus.FUZZ, note.appliedAt(), note.offset(),
                    "context reduced to " + note.contextReduced());
        }
        return new HunkResult(h.number(), h.header(), note.offset() == 0 ? ApplyStatus.CLEAN : ApplyStatus.OFFSET,
                note.appliedAt(), note.offset(), null);
    }

    /** Reverses the applied patches, newest first; says what state the tree is in. */
    private static String rollBack(GitApply git, List<Path> applied) throws IOException {
        for (int i = applied.size() - 1; i >= 0; i--) {
            GitApply.Result r = git.reverse(applied.get(i));
            if (!r.ok()) {
                return "PARTLY PATCHED: reverting patch " + (i + 1) + " failed (" + String.join("; ",
                        GitApplyOutput.parse(r.output()).errors) + "); patches 1.." + (i + 1) + " are still applied";
            }
        }
        return applied.isEmpty() ? "unchanged (nothing was applied)"
                : "unchanged (the " + applied.size() + " patch" + (applied.size() == 1 ? "" : "es")
                        + " applied before it " + (applied.size() == 1 ? "was" : "were") + " reverted)";
    }

    private static PatchApplyException failure(Series series, Patch patch, Diff diff, PatchResult result, String output,
            String treeState, ApplyReport report) {
        FileResult file = result.files().stream().filter(f -> f.status() == ApplyStatus.FAILED).findFirst().orElse(null);
        HunkResult hunk = file == null ? null
                : file.hunks().stream().filter(h -> h.status() == ApplyStatus.FAILED).findFirst().orElse(null);
        List<String> errors = GitApplyOutput.parse(output).errors;
        String git = errors.isEmpty() ? output.strip() : String.join("\n", errors);
        String position = hunk == null ? null : "#" + hunk.number() + " of " + file.hunkCount() + ",";
        return new PatchApplyException(patch.index(), series.patches().size(), patch.title(), patch.subject(),
                file == null ? null : file.path(), hunk == null ? null : hunk.header(), position, git, treeState, report);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
