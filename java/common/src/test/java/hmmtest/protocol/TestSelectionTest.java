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

    @Test
    void thePlanLeavesTheCrashProbesOutUnlessTheSelectionNamesThem() {
        java.util.List<String> catalog = java.util.List.of("crashprobe.panic", "hmm.a.x", "hmm.b.y", "upstream.hmm_tests");
        assertThat(TestSelection.plan(catalog, java.util.List.of(), java.util.List.of()))
                .containsExactly("hmm.a.x", "hmm.b.y", "upstream.hmm_tests");
        assertThat(TestSelection.plan(catalog, TestSelection.globs("crashprobe.*,hmm.b.*"), java.util.List.of()))
                .containsExactly("crashprobe.panic", "hmm.b.y");
        assertThat(TestSelection.plan(catalog, TestSelection.globs("*"), java.util.List.of("hmm.a.*")))
                .containsExactly("hmm.b.y", "upstream.hmm_tests");
    }

    @Test
    void exactlyNamesEachTestAndNothingElse() {
        java.util.List<String> catalog = java.util.List.of("hmm.a.x", "hmm.a.xy", "hmm.b.y");
        String select = TestSelection.exactly(java.util.List.of("hmm.a.x", "hmm.b.y"));
        assertThat(TestSelection.plan(catalog, TestSelection.globs(select), java.util.List.of()))
                .containsExactly("hmm.a.x", "hmm.b.y");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestSelection.exactly(java.util.List.of("hmm.a*")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
