package hmmtest.bisect;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.series.Patch;
import hmmtest.series.Series;
import hmmtest.series.SeriesReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeriesBisectorTest {
    static final Path SERIES = Path.of(System.getProperty("hmmtest.home", "../.."), "kernel-config/series/bisect-three")
            .toAbsolutePath().normalize();

    /** A prefix is written as patch files that read back as the same patches (same diff bytes, subject, author). */
    @Test
    void aPrefixReadsBackAsTheSamePatches(@TempDir Path tmp) throws Exception {
        Series all = SeriesReader.read(SERIES);
        assertThat(all.patches()).hasSize(3);
        Series prefix = SeriesReader.read(SeriesBisector.writePrefix(all.patches(), 2, tmp.resolve("prefix")));
        assertThat(prefix.patches()).hasSize(2);
        for (int i = 0; i < 2; i++) {
            Patch a = all.patches().get(i);
            Patch b = prefix.patches().get(i);
            assertThat(b.sha256()).isEqualTo(a.sha256());
            assertThat(b.title()).isEqualTo(a.title());
            assertThat(b.author()).isEqualTo(a.author());
        }
    }
}
