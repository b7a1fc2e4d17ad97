package hmmtest.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusFileTest {

    @TempDir
    Path dir;

    @Test
    void rejectsUnknownHeaderKeys() throws IOException {
        Path file = Files.writeString(dir.resolve("0001"), "TITLE: x\nTITEL: typo\n\nconsole\n");
        assertThatThrownBy(() -> CorpusFile.read(file)).hasMessageContaining("unknown header key");
    }

    @Test
    void rejectsKeysBeforeTitleAndFlagsOtherThanY() throws IOException {
        Path early = Files.writeString(dir.resolve("0002"), "FRAME: f\nTITLE: x\n\nconsole\n");
        assertThatThrownBy(() -> CorpusFile.read(early)).hasMessageContaining("before any TITLE");
        Path flag = Files.writeString(dir.resolve("0003"), "TITLE: x\nFATAL: yes\n\nconsole\n");
        assertThatThrownBy(() -> CorpusFile.read(flag)).hasMessageContaining("'Y'");
    }

    @Test
    void readsBlocksPerTitleAndKeepsConsoleBlankLines() throws IOException {
        Path file = Files.writeString(dir.resolve("0004"),
                "# two\nTITLE: a\nALT: a2\nTYPE: WARNING\nTITLE: b\nTYPE: PANIC\nFATAL: Y\n\nline 1\n\nline 3\n");
        CorpusFile corpus = CorpusFile.read(file);
        assertThat(corpus.comments()).containsExactly("# two");
        assertThat(corpus.expected()).extracting(CorpusFile.Expected::title).containsExactly("a", "b");
        assertThat(corpus.expected().get(0).alts()).containsExactly("a2");
        assertThat(corpus.expected().get(1).fatal()).isTrue();
        assertThat(corpus.console()).containsExactly("line 1", "", "line 3");
    }
}
