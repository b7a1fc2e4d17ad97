package hmmtest.it;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.cli.Main;
import hmmtest.infra.CacheDir;
import hmmtest.infra.ExitCode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Series intake against the real baseline source: a patch that does not apply stops with exit 7
 * naming patch, file and hunk; a file that is not a patch is refused with exit 2; neither leaves a
 * patched tree or a kernel build in the cache.
 */
class SeriesIntakeIT {
    @TempDir
    Path dir;

    private record Outcome(int exit, String stderr) {}

    private static Outcome run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            int exit = Main.execute(args);
            return new Outcome(exit, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(err);
            err.print(captured.toString(StandardCharsets.UTF_8));
        }
    }

    private static List<String> cacheEntries(String sub) throws Exception {
        Path p = CacheDir.fromEnvironment().root().resolve(sub);
        if (!Files.isDirectory(p)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.map(x -> x.getFileName().toString()).filter(n -> !n.endsWith(".lock")).sorted().toList();
        }
    }

    @Test
    void seriesThatDoesNotApplyNamesPatchFileAndHunk() throws Exception {
        Path patch = dir.resolve("0001-bad.patch");
        Files.writeString(patch, """
                From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001
                From: Test Author <test@example.org>
                Date: Tue, 25 Nov 2026 04:00:00 +0000
                Subject: [PATCH] lib/test_hmm: a change whose context is not in the tree

                ---
                 lib/test_hmm.c | 2 +-
                 1 file changed, 1 insertion(+), 1 deletion(-)

                diff --git a/lib/test_hmm.c b/lib/test_hmm.c
                index 1111111..2222222 100644
                --- a/lib/test_hmm.c
                +++ b/lib/test_hmm.c
                @@ -10,3 +10,3 @@ static int nothing
                 this context line does not exist
                -neither does this one
                +replacement
                 nor this one
                --\s
                2.39.5
                """);
        List<String> srcBefore = cacheEntries("src");
        List<String> kernelsBefore = cacheEntries("kernels");
        Outcome o = run("kernel", "--variant", "baseline", "--series", patch.toString());
        assertThat(o.exit()).isEqualTo(ExitCode.APPLY_FAILED.code);
        assertThat(o.stderr()).contains("patch 1 of 1 does not apply: [PATCH] lib/test_hmm: a change whose context")
                .contains("file: lib/test_hmm.c")
                .contains("@@ -10,3 +10,3 @@ static int nothing");
        assertThat(cacheEntries("src")).isEqualTo(srcBefore);
        assertThat(cacheEntries("kernels")).isEqualTo(kernelsBefore);
    }

    @Test
    void fileThatIsNotAPatchIsRefusedClearly() throws Exception {
        Path notes = dir.resolve("notes.txt");
        Files.writeString(notes, "just some notes, no diff here\n");
        List<String> kernelsBefore = cacheEntries("kernels");
        Outcome o = run("kernel", "--variant", "baseline", "--series", notes.toString());
        assertThat(o.exit()).isEqualTo(ExitCode.USAGE.code);
        assertThat(o.stderr()).contains("no diff found in " + notes).contains("expected a git format-patch file");
        assertThat(cacheEntries("kernels")).isEqualTo(kernelsBefore);
    }
}
