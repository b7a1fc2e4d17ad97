package hmmtest.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CoverageReportTest {

    /** Every fuzz run's VM directory is "fuzz": adding up two runs must not let one overwrite the other. */
    @Test
    void vmDirectoriesOfSeveralRunsGetDistinctLabels() {
        Set<String> taken = new HashSet<>();
        assertThat(CoverageReport.label(Path.of("/r/20261204-suite/vm-1"), taken)).isEqualTo("vm-1");
        assertThat(CoverageReport.label(Path.of("/r/20261204-a-fuzz/fuzz"), taken)).isEqualTo("fuzz");
        assertThat(CoverageReport.label(Path.of("/r/20261204-b-fuzz/fuzz"), taken)).isEqualTo("20261204-b-fuzz-fuzz");
        assertThat(CoverageReport.label(Path.of("/s/20261204-b-fuzz/fuzz"), taken)).isEqualTo("fuzz-2");
        assertThat(taken).hasSize(4);
    }
}
