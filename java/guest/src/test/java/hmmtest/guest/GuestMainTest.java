package hmmtest.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GuestMainTest {

    @Test
    void globsMatchWholeIdsAndStarSpansDots() {
        assertThat(GuestMain.matchesAny("hmm.hmm_device_private.exclusive", List.of("hmm.*.exclusive"))).isTrue();
        assertThat(GuestMain.matchesAny("hmm.hmm_device_private.exclusive_mprotect", List.of("hmm.*.exclusive")))
                .isFalse();
        assertThat(GuestMain.matchesAny("hmm.hmm_device_private.exclusive_mprotect", List.of("*exclusive*"))).isTrue();
        assertThat(GuestMain.matchesAny("hmm.x(1)", List.of("hmm.x(1)"))).isTrue();
    }

    @Test
    void listsSplitOnCommas() {
        assertThat(GuestMain.splitList("a, b,,c")).containsExactly("a", "b", "c");
    }
}
