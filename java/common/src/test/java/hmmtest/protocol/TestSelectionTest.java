package hmmtest.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TestSelectionTest {
    private static final List<String> CATALOG = List.of("badargs.closed_fd_ebadf", "hmm.hmm_device_private.anon_read",
            "hmm.hmm_device_private.anon_write", "hmm2.hmm2_device_private.migrate_mixed", "crashprobe.panic");

    @Test
    void aStarSpansDotsAndEverythingElseIsLiteral() {
        assertThat(TestSelection.selected(CATALOG, List.of("hmm.*"), List.of()))
                .containsExactly("hmm.hmm_device_private.anon_read", "hmm.hmm_device_private.anon_write");
        assertThat(TestSelection.selected(CATALOG, List.of("*anon_*"), List.of("*write")))
                .containsExactly("hmm.hmm_device_private.anon_read");
        assertThat(TestSelection.matchesAny("hmmXhmm_device_private.anon_read", List.of("hmm.hmm_device_private.*")))
                .isFalse();
    }

    @Test
    void aCommaListIsSeveralGlobsAndNoSelectionIsEverything() {
        assertThat(TestSelection.globs(" a.* , ,b.c ")).containsExactly("a.*", "b.c");
        assertThat(TestSelection.globs(null)).isEmpty();
        assertThat(TestSelection.selected(CATALOG, List.of(), List.of())).isEqualTo(CATALOG);
    }
}
