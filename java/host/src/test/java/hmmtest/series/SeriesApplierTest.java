package hmmtest.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeriesApplierTest {

    @TempDir
    Path tmp;
    GitFixture git;
    Path tree;

    /**
     * base, then: 1 adds lib/new.c and changes lib/a.c line 5; 2 changes lib/b.c and
     * Documentation/b.rst; 3 changes lib/a.c line 25.
     */
    @BeforeEach
    void makeRepository() throws IOException {
        git = new GitFixture(tmp.resolve("repo"));
        git.write("lib/a.c", GitFixture.lines("a", 30)).write("lib/b.c", GitFixture.lines("b", 10))
                .write("Documentation/b.rst", GitFixture.lines("doc", 6)).commit("Base <base@example.org>", "base");
        git.replaceLine("lib/a.c", "a 5", "a five").write("lib/new.c", "int new_thing;\n")
                .commit("Ada Lovelace <ada@example.org>", "lib/a: first change");
        git.replaceLine("lib/b.c", "b 3", "b three").replaceLine("Documentation/b.rst", "doc 3", "doc three")
                .commit("Ada Lovelace <ada@example.org>", "lib/b: second change");
        git.replaceLine("lib/a.c", "a 25", "a twenty-five").commit("Ada Lovelace <ada@example.org>", "lib/a: third change");
        tree = tmp.resolve("linux");
        git.export("HEAD~3", tree);
    }

    /** The three patches as one mbox, read back. */
    Series series() throws IOException {
        return SeriesReader.read(Files.writeString(tmp.resolve("series.mbox"), git.git("format-patch", "--stdout", "-3")));
    }

    @Test
    void appliesCleanly() throws Exception {
        ApplyReport report = new SeriesApplier(ApplyOptions.defaults()).apply(series(), tree);

        assertThat(report.patches()).extracting(PatchResult::status).containsOnly(ApplyStatus.CLEAN);
        Path expected = tmp.resolve("expected");
        git.export("HEAD", expected);
        assertThat(GitFixture.snapshot(tree)).isEqualTo(GitFixture.snapshot(expected));
        assertThat(report.toText()).isEqualTo("""
                Patch series on %s
                [1/3] [PATCH 1/3] lib/a: first change: applied cleanly
                    applied cleanly      lib/a.c (1 hunk)
                    applied cleanly      lib/new.c (1 hunk)
                [2/3] [PATCH 2/3] lib/b: second change: applied cleanly
                    applied cleanly      Documentation/b.rst (1 hunk)
                    applied cleanly      lib/b.c (1 hunk)
                [3/3] [PATCH 3/3] lib/a: third change: applied cleanly
                    applied cleanly      lib/a.c (1 hunk)
                """.formatted(tree));
    }

    @Test
    void reportsOffsets() throws Exception {
        Files.writeString(tree.resolve("lib/a.c"), "added 1\nadded 2\n" + Files.readString(tree.resolve("lib/a.c")));

        ApplyReport report = new SeriesApplier(ApplyOptions.defaults()).apply(series(), tree);

        PatchResult first = report.patches().get(0);
        assertThat(first.status()).isEqualTo(ApplyStatus.OFFSET);
        HunkResult hunk = first.files().get(0).hunks().get(0);
        assertThat(hunk).isEqualTo(new HunkResult(1, "@@ -2,7 +2,7 @@ a 1", ApplyStatus.OFFSET, 4, 2, null));
        assertThat(report.patches().get(1).status()).isEqualTo(ApplyStatus.CLEAN);
        assertThat(report.toText()).contains("""
                [1/3] [PATCH 1/3] lib/a: first change: applied with offset
                    applied with offset  lib/a.c: hunk #1 at 4 (offset 2 lines)
                    applied cleanly      lib/new.c (1 hunk)
                """, "[3/3] [PATCH 3/3] lib/a: third change: applied with offset\n"
                + "    applied with offset  lib/a.c: hunk #1 at 24 (offset 2 lines)\n");
        assertThat(Files.readString(tree.resolve("lib/a.c"))).contains("a five\n", "a twenty-five\n");
    }

    @Test
    void failingHunkLeavesTheTreeAsItWasBeforeTheSeries() throws Exception {
        Files.writeString(tree.resolve("lib/a.c"),
                GitFixture.replacedLine(Files.readString(tree.resolve("lib/a.c")), "a 24", "a twenty-four"));
        Map<String, String> before = GitFixture.snapshot(tree);

        PatchApplyException e = catchThrowableOfType(PatchApplyException.class,
                () -> new SeriesApplier(ApplyOptions.defaults()).apply(series(), tree));

        assertThat(e.getMessage()).isEqualTo("""
                patch 3 of 3 does not apply: [PATCH 3/3] lib/a: third change
                  file: lib/a.c
                  hunk: #1 of 1, @@ -22,7 +22,7 @@ a 21
                  git:  error: patch failed: lib/a.c:22
                        error: lib/a.c: patch does not apply
                  tree: unchanged (the 2 patches applied before it were reverted)""");
        assertThat(e.patchIndex()).isEqualTo(3);
        assertThat(e.subject()).isEqualTo("lib/a: third change");
        assertThat(e.file()).isEqualTo("lib/a.c");
        assertThat(e.hunkHeader()).isEqualTo("@@ -22,7 +22,7 @@ a 21");
        assertThat(e.gitMessage()).isEqualTo("error: patch failed: lib/a.c:22\nerror: lib/a.c: patch does not apply");
        assertThat(GitFixture.snapshot(tree)).isEqualTo(before); // lib/new.c from patch 1 is gone again
        assertThat(e.report().patches()).extracting(PatchResult::status)
                .containsExactly(ApplyStatus.CLEAN, ApplyStatus.CLEAN, ApplyStatus.FAILED);
        assertThat(e.report().toText()).endsWith("""
                [3/3] [PATCH 3/3] lib/a: third change: failed
                    failed               lib/a.c: hunk #1 @@ -22,7 +22,7 @@ a 21
                """);
    }

    @Test
    void failingFirstPatchNamesTheHunkAmongSeveral() throws Exception {
        // One patch with two hunks in lib/a.c; the second one's context is gone from the tree.
        git.git("reset", "-q", "--hard", "HEAD~3");
        git.replaceLine("lib/a.c", "a 5", "a five").replaceLine("lib/a.c", "a 25", "a twenty-five")
                .commit("Ada Lovelace <ada@example.org>", "lib/a: two hunks");
        Files.writeString(tree.resolve("lib/a.c"),
                GitFixture.replacedLine(Files.readString(tree.resolve("lib/a.c")), "a 27", "a 27 changed"));
        Map<String, String> before = GitFixture.snapshot(tree);
        Series series = SeriesReader.read(git.formatPatch(tmp.resolve("one"), "-1").get(0));

        PatchApplyException e = catchThrowableOfType(PatchApplyException.class,
                () -> new SeriesApplier(ApplyOptions.defaults()).apply(series, tree));

        assertThat(e.getMessage()).contains("  hunk: #2 of 2, @@ -22,7 +22,7 @@ a 21\n",
                "  tree: unchanged (nothing was applied)");
        FileResult file = e.report().patches().get(0).files().get(0);
        assertThat(file.hunks()).extracting(HunkResult::status).containsExactly(ApplyStatus.CLEAN, ApplyStatus.FAILED);
        assertThat(GitFixture.snapshot(tree)).isEqualTo(before);
    }

    @Test
    void excludedFilesAreSkippedByGitAndReported() throws Exception {
        Files.writeString(tree.resolve("Documentation/b.rst"), "rewritten documentation\n");

        PatchApplyException e = catchThrowableOfType(PatchApplyException.class,
                () -> new SeriesApplier(ApplyOptions.defaults()).apply(series(), tree));
        assertThat(e.file()).isEqualTo("Documentation/b.rst");

        ApplyReport report = new SeriesApplier(ApplyOptions.defaults().withExcludes("Documentation/*")).apply(series(), tree);

        FileResult doc = report.patches().get(1).files().get(0);
        assertThat(doc).isEqualTo(new FileResult("Documentation/b.rst", ApplyStatus.EXCLUDED, "Documentation/*", 1,
                List.of(new HunkResult(1, "@@ -1,6 +1,6 @@", ApplyStatus.EXCLUDED, null, 0, null)), List.of()));
        assertThat(report.patches().get(1).status()).isEqualTo(ApplyStatus.CLEAN);
        assertThat(report.toText()).startsWith("Patch series on " + tree + " excluding Documentation/*\n")
                .contains("    excluded             Documentation/b.rst (1 hunk) excluded by Documentation/*\n");
        assertThat(Files.readString(tree.resolve("Documentation/b.rst"))).isEqualTo("rewritten documentation\n");
        assertThat(Files.readString(tree.resolve("lib/b.c"))).contains("b three");
    }

    @Test
    void aFileMissingFromTheTreeFailsAsAWhole() throws Exception {
        Files.delete(tree.resolve("lib/b.c"));
        Map<String, String> before = GitFixture.snapshot(tree);

        PatchApplyException e = catchThrowableOfType(PatchApplyException.class,
                () -> new SeriesApplier(ApplyOptions.defaults()).apply(series(), tree));

        assertThat(e.getMessage()).isEqualTo("""
                patch 2 of 3 does not apply: [PATCH 2/3] lib/b: second change
                  file: lib/b.c
                  git:  error: lib/b.c: No such file or directory
                  tree: unchanged (the 1 patch applied before it was reverted)""");
        assertThat(e.hunkHeader()).isNull();
        assertThat(e.report().patches().get(1).files()).extracting(FileResult::status)
                .containsExactly(ApplyStatus.CLEAN, ApplyStatus.FAILED);
        assertThat(e.report().patches().get(1).files().get(1).hunks()).extracting(HunkResult::status)
                .containsExactly(ApplyStatus.NOT_TRIED);
        assertThat(GitFixture.snapshot(tree)).isEqualTo(before);
    }

    @Test
    void excludeGlobStarMatchesAcrossDirectoriesLikeGit() throws Exception {
        ApplyReport report = new SeriesApplier(ApplyOptions.defaults().withExcludes("lib/new.c", "*.rst")).apply(series(), tree);

        assertThat(report.patches().get(0).files()).extracting(FileResult::excludedBy).containsExactly(null, "lib/new.c");
        assertThat(report.patches().get(1).files()).extracting(FileResult::excludedBy).containsExactly("*.rst", null);
        assertThat(tree.resolve("lib/new.c")).doesNotExist();
    }

    @Test
    void fuzzIsRefusedByDefaultAndReportedWhenAllowed() throws Exception {
        // The third line of context above the change differs: git's default needs all of it.
        Files.writeString(tree.resolve("lib/a.c"),
                GitFixture.replacedLine(Files.readString(tree.resolve("lib/a.c")), "a 2", "a two"));
        Map<String, String> before = GitFixture.snapshot(tree);

        PatchApplyException e = catchThrowableOfType(PatchApplyException.class,
                () -> new SeriesApplier(ApplyOptions.defaults()).apply(series(), tree));
        assertThat(e.patchIndex()).isEqualTo(1);
        assertThat(GitFixture.snapshot(tree)).isEqualTo(before);

        ApplyReport report = new SeriesApplier(ApplyOptions.defaults().withMinContext(1)).apply(series(), tree);

        HunkResult hunk = report.patches().get(0).files().get(0).hunks().get(0);
        assertThat(hunk.status()).isEqualTo(ApplyStatus.FUZZ);
        assertThat(hunk.detail()).startsWith("context reduced to ");
        assertThat(report.patches().get(0).status()).isEqualTo(ApplyStatus.FUZZ);
        assertThat(report.toText()).contains("applied with fuzz    lib/a.c: hunk #1 at ");
        assertThat(Files.readString(tree.resolve("lib/a.c"))).contains("a two\n", "a five\n");
    }

    @Test
    void worksOnATreeInsideAnotherGitRepository() throws Exception {
        // Unguarded, git apply would take paths relative to the outer repository and skip them all.
        Path outer = tmp.resolve("outer");
        GitFixture.run(Files.createDirectories(outer), "init", "-q");
        Path inner = outer.resolve("build/linux");
        git.export("HEAD~3", inner);

        ApplyReport report = new SeriesApplier(ApplyOptions.defaults()).apply(series(), inner);

        assertThat(report.patches()).extracting(PatchResult::status).containsOnly(ApplyStatus.CLEAN);
        assertThat(Files.readString(inner.resolve("lib/a.c"))).contains("a five", "a twenty-five");
    }

    @Test
    void appliesAPatchForALatin1FileByteForByte() throws Exception {
        Path file = git.repo.resolve("lib/latin1.txt");
        Files.write(file, "caf\u00e9 1\ncaf\u00e9 2\n".getBytes(StandardCharsets.ISO_8859_1));
        git.commit("Ada Lovelace <ada@example.org>", "add latin1");
        Files.write(file, "caf\u00e9 1\ncaf\u00e9 deux\n".getBytes(StandardCharsets.ISO_8859_1));
        git.commit("Ada Lovelace <ada@example.org>", "change latin1");
        Path target = tmp.resolve("latin1-tree");
        Files.createDirectories(target.resolve("lib"));
        Files.write(target.resolve("lib/latin1.txt"), "caf\u00e9 1\ncaf\u00e9 2\n".getBytes(StandardCharsets.ISO_8859_1));

        new SeriesApplier(ApplyOptions.defaults()).apply(SeriesReader.read(git.formatPatch(tmp.resolve("l1"), "-1").get(0)), target);

        assertThat(Files.readAllBytes(target.resolve("lib/latin1.txt")))
                .isEqualTo("caf\u00e9 1\ncaf\u00e9 deux\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void patchworkPageAppliesWithOffsetsOnceItsBrokenDocumentationIsExcluded() throws Exception {
        Series series = SeriesReader.read(SeriesReaderTest.resource("patchwork-page.txt"));
        Path pw = tmp.resolve("pw");
        Files.createDirectories(pw.resolve("lib"));
        Files.createDirectories(pw.resolve("Documentation"));
        Files.writeString(pw.resolve("lib/demo.c"), "// moved\n// down\n"
                + Files.readString(SeriesReaderTest.resource("patchwork-base-demo.c")));
        // As if the page had lost characters the tree has: the documentation hunk cannot match.
        Files.writeString(pw.resolve("Documentation/demo.rst"), Files.readString(
                SeriesReaderTest.resource("patchwork-base-demo.rst")).replace("in a range.", "in a range\u3002"));
        Map<String, String> before = GitFixture.snapshot(pw);

        PatchApplyException e = catchThrowableOfType(PatchApplyException.class,
                () -> new SeriesApplier(ApplyOptions.defaults()).apply(series, pw));
        assertThat(e.getMessage()).isEqualTo("""
                patch 1 of 1 does not apply: [v2,2/3] lib/demo: convert demo_range() to demo_one()
                  file: Documentation/demo.rst
                  hunk: #1 of 1, @@ -1,5 +1,5 @@ \s
                  git:  error: patch failed: Documentation/demo.rst:1
                        error: Documentation/demo.rst: patch does not apply
                  tree: unchanged (nothing was applied)""");
        assertThat(GitFixture.snapshot(pw)).isEqualTo(before);

        ApplyReport report = new SeriesApplier(ApplyOptions.defaults().withExcludes("Documentation/*")).apply(series, pw);
        assertThat(report.toText()).isEqualTo("""
                Patch series on %s excluding Documentation/*
                [1/1] [v2,2/3] lib/demo: convert demo_range() to demo_one(): applied with offset
                    excluded             Documentation/demo.rst (1 hunk) excluded by Documentation/*
                    applied with offset  lib/demo.c: hunk #1 at 10 (offset 2 lines), hunk #2 at 28 (offset 2 lines)
                """.formatted(pw));
        assertThat(Files.readString(pw.resolve("lib/demo.c"))).contains("int demo_one(unsigned long addr)");
    }

    @Test
    void seedPageAppliesToASyntheticTreeWithDocumentationExcluded() throws Exception {
        assertThat(SeriesReaderTest.SEED).as("the seed page beside the checkout (never skipped)").isRegularFile();
        Series series = SeriesReader.read(SeriesReaderTest.SEED);
        Path linux = tmp.resolve("linux-6.12");
        // Real 6.12 still has the full-width punctuation the page lost; put one back to break the zh_CN hunk.
        Preimage.write(series.patches().get(0).diff(), linux, 2, (path, text) -> path.contains("zh_CN")
                ? text.replace("``make_device_exclusive_range()``", "``make_device_exclusive_range()``\uff0c") : text);
        Map<String, String> before = GitFixture.snapshot(linux);

        PatchApplyException e = catchThrowableOfType(PatchApplyException.class,
                () -> new SeriesApplier(ApplyOptions.defaults()).apply(series, linux));
        assertThat(e.file()).isEqualTo("Documentation/translations/zh_CN/mm/hmm.rst");
        assertThat(e.hunkHeader()).startsWith("@@ -326,7 +326,7 @@  devm_memunmap_pages()");
        assertThat(GitFixture.snapshot(linux)).isEqualTo(before);

        ApplyReport report = new SeriesApplier(ApplyOptions.defaults().withExcludes("Documentation/*")).apply(series, linux);

        List<FileResult> files = report.patches().get(0).files();
        assertThat(files).extracting(FileResult::status).containsExactly(ApplyStatus.EXCLUDED, ApplyStatus.EXCLUDED,
                ApplyStatus.OFFSET, ApplyStatus.OFFSET, ApplyStatus.OFFSET, ApplyStatus.OFFSET, ApplyStatus.OFFSET);
        assertThat(files.get(5).hunks()).extracting(HunkResult::offset).containsExactly(2, 2);
        assertThat(report.toText()).contains("applied with offset  lib/test_hmm.c: hunk #1 at 782 (offset 2 lines),"
                + " hunk #2 at 795 (offset 2 lines)");
        assertThat(Files.readString(linux.resolve("mm/rmap.c"))).contains("EXPORT_SYMBOL_GPL(make_device_exclusive);");
    }

    @Test
    void reportAndSeriesSerialiseToJsonWithAPlainObjectMapper() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Series series = series();
        ApplyReport report = new SeriesApplier(ApplyOptions.defaults().withExcludes("Documentation/*")).apply(series, tree);

        String text = json.writeValueAsString(report);

        assertThat(text).contains("\"excludedBy\":\"Documentation/*\"", "\"status\":\"EXCLUDED\"", "\"hunkCount\":1");
        assertThat(json.writeValueAsString(series)).contains("\"subject\":\"lib/a: first change\"", "\"sha256\":\"");
    }
}
