package hmmtest.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeriesReaderTest {

    /** The mailing-list page of the v1 patch, beside the checkout (as KernelSpec's seed-v1 finds it). */
    static final Path SEED = hmmtest.infra.Project.root().resolve("../shared/seeds/000_1a6c719d5a68ab02.txt").normalize();

    @TempDir
    Path tmp;
    GitFixture git;

    /** A base commit and three patches; the first is by an author whose name needs RFC 2047 encoding. */
    @BeforeEach
    void threeCommits() throws IOException {
        git = new GitFixture(tmp.resolve("repo"));
        git.write("lib/a.c", GitFixture.lines("a", 30)).write("lib/b.c", GitFixture.lines("b", 10))
                .commit("Base Author <base@example.org>", "base");
        git.replaceLine("lib/a.c", "a 5", "a five").commit("Jörg Rödel <joro@example.org>", "lib/a: first change");
        git.replaceLine("lib/b.c", "b 3", "b three").commit("Ada Lovelace <ada@example.org>", "lib/b: second change");
        git.replaceLine("lib/a.c", "a 25", "a twenty-five").write("lib/c.c", "new file\n")
                .commit("Ada Lovelace <ada@example.org>", "lib: third change");
    }

    @Test
    void readsASingleFormatPatchFile() throws Exception {
        List<Path> files = git.formatPatch(tmp.resolve("out"), "-v2", "-3");
        Series series = SeriesReader.read(files.get(2));

        assertThat(series.format()).isEqualTo(Series.Format.FORMAT_PATCH);
        assertThat(series.patches()).hasSize(1);
        Patch p = series.patches().get(0);
        assertThat(p.index()).isEqualTo(1);
        assertThat(p.subject()).isEqualTo("lib: third change");
        assertThat(p.tag()).isEqualTo("[PATCH v2 3/3]");
        assertThat(p.version()).isEqualTo(2);
        assertThat(p.number()).isEqualTo(3);
        assertThat(p.total()).isEqualTo(3);
        assertThat(p.author()).isEqualTo(new Author("Ada Lovelace", "ada@example.org"));
        assertThat(p.date()).isEqualTo("2025-01-29T12:54:01+01:00");
        assertThat(p.files()).containsExactly("lib/a.c", "lib/c.c");
        assertThat(p.message()).startsWith("Why lib: third change.").contains("Signed-off-by: Ada Lovelace");
        assertThat(p.diff()).startsWith("diff --git a/lib/a.c b/lib/a.c\n").endsWith("+new file\n")
                .doesNotContain("\n-- \n");
        assertThat(p.sha256()).isEqualTo(sha256(p.diff().getBytes(StandardCharsets.UTF_8)));
        assertThat(p.source()).isEqualTo(new PatchSource(files.get(2), 1, null));
    }

    @Test
    void decodesAnEncodedAuthorName() throws Exception {
        Patch p = SeriesReader.read(git.formatPatch(tmp.resolve("out"), "-3").get(0)).patches().get(0);
        assertThat(Files.readString(git.formatPatch(tmp.resolve("out2"), "-3").get(0))).contains("From: =?UTF-8?q?");
        assertThat(p.author()).isEqualTo(new Author("Jörg Rödel", "joro@example.org"));
        assertThat(p.tag()).isEqualTo("[PATCH 1/3]");
    }

    @Test
    void readsAnMboxSkippingTheCoverLetterAndOrderingByNumber() throws Exception {
        String mbox = git.git("format-patch", "--stdout", "--cover-letter", "-3");
        List<String> messages = new ArrayList<>(List.of(mbox.split("(?m)^(?=From [0-9a-f]{40} )")));
        assertThat(messages).hasSize(4);
        Collections.reverse(messages); // patches 3, 2, 1, then the cover letter
        Path file = Files.writeString(tmp.resolve("series.mbox"), String.join("", messages));

        Series series = SeriesReader.read(file);

        assertThat(series.format()).isEqualTo(Series.Format.MBOX);
        assertThat(series.title()).isEqualTo("*** SUBJECT HERE ***");
        assertThat(series.patches()).extracting(Patch::subject)
                .containsExactly("lib/a: first change", "lib/b: second change", "lib: third change");
        assertThat(series.patches()).extracting(Patch::index).containsExactly(1, 2, 3);
        assertThat(series.patches()).extracting(p -> p.source().message()).containsExactly(3, 2, 1);
        assertThat(series.notes()).singleElement().asString().contains("[PATCH 0/3]").contains("cover letter");
    }

    @Test
    void skipsMessagesWithoutADiffAndReplies() throws Exception {
        String patch = git.git("format-patch", "--stdout", "-1");
        String intro = "From nobody Mon Jan 27 10:00:00 2025\nFrom: Ada <ada@example.org>\nSubject: [PATCH] please read\n\n"
                + "No diff in here.\n\n";
        String reply = "From nobody Tue Jan 28 10:00:00 2025\nFrom: Bob <bob@example.org>\nSubject: Re: [PATCH] lib: third change\n\n"
                + "Try this instead:\n\n" + patch.substring(patch.indexOf("diff --git"));
        Path file = Files.writeString(tmp.resolve("thread.mbox"), intro + reply + patch);

        Series series = SeriesReader.read(file);

        assertThat(series.patches()).extracting(Patch::subject).containsExactly("lib: third change");
        assertThat(series.notes()).hasSize(2).anySatisfy(n -> assertThat(n).contains("please read", "no diff"))
                .anySatisfy(n -> assertThat(n).contains("reply"));
    }

    @Test
    void readsADirectoryInNameOrderIgnoringCoverLetterAndSeriesFile() throws Exception {
        Path dir = tmp.resolve("dir");
        List<Path> files = git.formatPatch(dir, "-v3", "--cover-letter", "-3");
        assertThat(files.get(0).getFileName().toString()).isEqualTo("v3-0000-cover-letter.patch");
        Files.writeString(dir.resolve("series"), "v3-0003-lib-third-change.patch\nv3-0001-lib-a-first-change.patch\n");

        Series series = SeriesReader.read(dir);

        assertThat(series.format()).isEqualTo(Series.Format.DIRECTORY);
        assertThat(series.patches()).extracting(Patch::tag)
                .containsExactly("[PATCH v3 1/3]", "[PATCH v3 2/3]", "[PATCH v3 3/3]");
        assertThat(series.patches()).extracting(p -> p.source().file()).containsExactlyElementsOf(files.subList(1, 4));
        assertThat(series.notes()).singleElement().asString().contains("cover letter");
    }

    @Test
    void readsABareDiffWithTheSubjectFromTheFileName() throws Exception {
        Path file = Files.writeString(tmp.resolve("0007-fix-the-thing.patch"), git.git("diff", "HEAD~1", "HEAD"));
        Series series = SeriesReader.read(file);
        assertThat(series.format()).isEqualTo(Series.Format.PLAIN_DIFF);
        Patch p = series.patches().get(0);
        assertThat(p.subject()).isEqualTo("fix-the-thing");
        assertThat(p.author()).isNull();
        assertThat(p.files()).containsExactly("lib/a.c", "lib/c.c");
    }

    @Test
    void readsAPatchworkPageTakingOnlyThePatchSection() throws Exception {
        Series series = SeriesReader.read(resource("patchwork-page.txt"));

        assertThat(series.format()).isEqualTo(Series.Format.PATCHWORK_PAGE);
        assertThat(series.title()).isEqualTo("lib/demo: simplify the demo interface");
        Patch p = series.patches().get(0);
        assertThat(p.subject()).isEqualTo("lib/demo: convert demo_range() to demo_one()");
        assertThat(p.tag()).isEqualTo("[v2,2/3]");
        assertThat(List.of(p.version(), p.number(), p.total())).containsExactly(2, 2, 3);
        assertThat(p.author()).isEqualTo(new Author("Ada Lovelace", "ada@example.org"));
        assertThat(p.date()).isEqualTo("2025-02-03T16:07:00Z");
        assertThat(p.message()).startsWith("The only user of demo_range()").endsWith("Signed-off-by: Ada Lovelace <ada@example.org>");
        assertThat(p.source().messageId()).isEqualTo("20250203160712.1234-3-ada@example.org");
        assertThat(p.files()).containsExactly("Documentation/demo.rst", "lib/demo.c");
        assertThat(p.diff()).startsWith("diff --git a/Documentation/demo.rst").endsWith("\treturn 0;\n }\n")
                .doesNotContain("lib/other.c", "\n> ", "patchwork patch tracking");
    }

    @Test
    void readsTheRealSeedPage() throws Exception {
        assertThat(SEED).as("the seed page beside the checkout (never skipped)").isRegularFile();
        Series series = SeriesReader.read(SEED);

        assertThat(series.format()).isEqualTo(Series.Format.PATCHWORK_PAGE);
        assertThat(series.title()).isEqualTo("mm: fixes for device-exclusive entries (hmm)");
        Patch p = series.patches().get(0);
        assertThat(p.subject()).isEqualTo("mm/rmap: convert make_device_exclusive_range() to make_device_exclusive()");
        assertThat(p.tag()).isEqualTo("[v1,03/12]");
        assertThat(List.of(p.version(), p.number(), p.total())).containsExactly(1, 3, 12);
        assertThat(p.author()).isEqualTo(new Author("David Hildenbrand", "david@redhat.com"));
        assertThat(p.date()).isEqualTo("2025-01-29T11:54:00Z");
        assertThat(p.files()).containsExactly("Documentation/mm/hmm.rst", "Documentation/translations/zh_CN/mm/hmm.rst",
                "drivers/gpu/drm/nouveau/nouveau_svm.c", "include/linux/mmu_notifier.h", "include/linux/rmap.h",
                "lib/test_hmm.c", "mm/rmap.c");
        Diff diff = DiffScanner.find(p.diff());
        assertThat(diff.files()).flatExtracting(Diff.FileDiff::hunks).hasSize(8);
        assertThat(diff.files().get(5).hunks().get(1).header())
                .isEqualTo("@@ -795,36 +793,31 @@  static int dmirror_exclusive(struct dmirror *dmirror,");
        assertThat(p.diff()).doesNotContain("Note: This function always operates", "\n>")
                .endsWith("#endif\n \n void __put_anon_vma(struct anon_vma *anon_vma)\n");
    }

    @Test
    void keepsBytesOfAPatchForALatin1File() throws Exception {
        Path latin1 = git.repo.resolve("lib/latin1.txt");
        Files.write(latin1, "caf\u00e9 1\ncaf\u00e9 2\n".getBytes(StandardCharsets.ISO_8859_1));
        git.commit("Ada Lovelace <ada@example.org>", "add latin1");
        Files.write(latin1, "caf\u00e9 1\ncaf\u00e9 deux\n".getBytes(StandardCharsets.ISO_8859_1));
        git.commit("Ada Lovelace <ada@example.org>", "change latin1");

        Patch p = SeriesReader.read(git.formatPatch(tmp.resolve("out"), "-1").get(0)).patches().get(0);

        assertThat(p.encoding()).isEqualTo("ISO-8859-1");
        assertThat(new String(p.diffBytes(), StandardCharsets.ISO_8859_1)).contains("-caf\u00e9 2\n+caf\u00e9 deux\n");
        assertThat(p.sha256()).isEqualTo(sha256(p.diffBytes()));
    }

    @Test
    void decodesAQuotedPrintableMail() throws Exception {
        String mail = """
                From: Ada Lovelace <ada@example.org>
                Subject: [PATCH] lib: qp
                Content-Type: text/plain; charset=UTF-8
                Content-Transfer-Encoding: quoted-printable

                Body with a long line that was wrapped by the mailer at seventy-six ch=
                aracters.
                ---
                diff --git a/x.c b/x.c
                --- a/x.c
                +++ b/x.c
                @@ -1 +1 @@
                -a =3D 1;
                +a =3D 2; /* caf=C3=A9 */
                """;
        Patch p = SeriesReader.read(Files.writeString(tmp.resolve("qp.patch"), mail)).patches().get(0);
        assertThat(p.message()).isEqualTo("Body with a long line that was wrapped by the mailer at seventy-six characters.");
        assertThat(p.diff()).endsWith("-a = 1;\n+a = 2; /* café */\n");
    }

    @Test
    void rejectsEmptyFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("empty.patch"), "");
        assertThatThrownBy(() -> SeriesReader.read(file)).isInstanceOf(SeriesFormatException.class)
                .hasMessage(file + " is empty: " + SeriesFormatException.EXPECTED);
    }

    @Test
    void rejectsRandomText() {
        Path file = resource("random.txt");
        assertThatThrownBy(() -> SeriesReader.read(file)).isInstanceOf(SeriesFormatException.class)
                .hasMessage("no diff found in " + file + ": expected a git format-patch file, an mbox, a directory of"
                        + " .patch files or a patchwork page with a 'Patch' section; found 5 line(s) of text starting"
                        + " with 'Shopping list'");
    }

    @Test
    void rejectsBinaryFile() throws IOException {
        Path file = Files.write(tmp.resolve("blob.patch"), new byte[] {'P', 'K', 3, 4, 0, 0, 1});
        assertThatThrownBy(() -> SeriesReader.read(file)).isInstanceOf(SeriesFormatException.class)
                .hasMessageStartingWith(file + " is a binary file (NUL byte at offset 4)")
                .hasMessageContaining(SeriesFormatException.EXPECTED);
    }

    @Test
    void rejectsMissingPathAndDirectoryWithoutPatches() throws IOException {
        assertThatThrownBy(() -> SeriesReader.read(tmp.resolve("nope"))).isInstanceOf(SeriesFormatException.class)
                .hasMessageStartingWith("no such file or directory: " + tmp.resolve("nope"));
        Path dir = Files.createDirectories(tmp.resolve("empty-dir"));
        Files.writeString(dir.resolve("README"), "hi\n");
        assertThatThrownBy(() -> SeriesReader.read(dir)).isInstanceOf(SeriesFormatException.class)
                .hasMessage("no patch found in directory " + dir + ": " + SeriesFormatException.EXPECTED
                        + "; found 1 file(s): [README]");
    }

    @Test
    void rejectsADirectoryPatchFileWithoutADiff() throws Exception {
        Path dir = tmp.resolve("dir");
        git.formatPatch(dir, "-2");
        Files.writeString(dir.resolve("0002-broken-download.patch"), "<html>502 Bad Gateway</html>\n");
        assertThatThrownBy(() -> SeriesReader.read(dir)).isInstanceOf(SeriesFormatException.class)
                .hasMessageStartingWith("no diff found in " + dir.resolve("0002-broken-download.patch"));
    }

    @Test
    void rejectsAnMboxHoldingOnlyACoverLetter() throws IOException {
        String cover = git.git("format-patch", "--stdout", "--cover-letter", "-1").split("(?m)^(?=From [0-9a-f]{40} )")[0];
        Path file = Files.writeString(tmp.resolve("cover.mbox"), cover);
        assertThatThrownBy(() -> SeriesReader.read(file)).isInstanceOf(SeriesFormatException.class)
                .hasMessageStartingWith("no diff found in " + file + ": " + SeriesFormatException.EXPECTED)
                .hasMessageContaining("[PATCH 0/1] *** SUBJECT HERE ***\": cover letter");
    }

    @Test
    void rejectsAHunkThatIsCutShort() throws IOException {
        String patch = git.git("format-patch", "--stdout", "-1");
        String cut = patch.substring(0, patch.indexOf("-a 25\n")) + "\n-- \n2.39.5\n";
        Path file = Files.writeString(tmp.resolve("cut.patch"), cut);
        assertThatThrownBy(() -> SeriesReader.read(file)).isInstanceOf(SeriesFormatException.class)
                .hasMessageStartingWith(file + " (\"[PATCH] lib: third change\"): hunk #1 of lib/a.c (@@ -22,7 +22,7 @@ a 21)"
                        + " does not match its line counts: 2 old and 3 new lines still expected at diff line 11,"
                        + " found '2.39.5'");
    }

    static Path resource(String name) {
        try {
            return Path.of(SeriesReaderTest.class.getResource("/series/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
