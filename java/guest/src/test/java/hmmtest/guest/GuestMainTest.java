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

    /**
     * The selection is applied during the one discovery: the plan holds exactly the selected
     * tests, in the fixed execution order (discovery only; nothing runs, no device needed).
     */
    @Test
    void discoveryPlansOnlyTheSelectedTestsInOrder() {
        GuestMain.Discovered d = GuestMain.discover(
                List.of("hmm.hmm_device_private.open_close", "hmm.hmm_device_private.anon_*"),
                List.of("*.anon_write"));
        List<String> ids = GuestMain.inOrder(d.plan()).stream()
                .map(t -> ResultStreamListener.testId(d.plan(), t)).toList();
        assertThat(ids).isNotEmpty().doesNotContain("hmm.hmm_device_private.anon_write")
                .allMatch(i -> i.equals("hmm.hmm_device_private.open_close") || i.startsWith("hmm.hmm_device_private.anon_"))
                .contains("hmm.hmm_device_private.open_close", "hmm.hmm_device_private.anon_read");
        GuestMain.Discovered all = GuestMain.discover(List.of(), List.of());
        List<String> allIds = GuestMain.inOrder(all.plan()).stream()
                .map(t -> ResultStreamListener.testId(all.plan(), t)).toList();
        assertThat(allIds).hasSizeGreaterThan(100);
        assertThat(allIds.stream().filter(ids::contains).toList()).as("the full plan's order").isEqualTo(ids);
    }

    @Test
    void aClassIsDiscoveredOnlyIfASelectionCanNameOneOfItsTests() throws Exception {
        List<String> smoke = List.of("hmm.hmm_device_private.open_close", "hmm.hmm_device_private.anon_*");
        assertThat(GuestMain.couldSelectTestsOf("hmm.hmm_device_private", smoke)).isTrue();
        assertThat(GuestMain.couldSelectTestsOf("hmm.hmm_device_coherent", smoke)).isFalse();
        assertThat(GuestMain.couldSelectTestsOf("hmm2.hmm2_device_private", smoke)).isFalse();
        assertThat(GuestMain.couldSelectTestsOf("exclusive", List.of("hmm.*.exclusive"))).isFalse();
        assertThat(GuestMain.couldSelectTestsOf("hmm2.hmm2_device_coherent", List.of("hmm*.exclusive"))).isTrue();
        assertThat(GuestMain.couldSelectTestsOf("badargs", List.of("*"))).isTrue();
        assertThat(GuestMain.couldSelectTestsOf("badargs", List.of("badargs.*", "x"))).isTrue();
        assertThat(GuestMain.couldSelectTestsOf("badargs", List.of("badargs"))).as("a class name alone is no test id")
                .isFalse();
        assertThat(GuestMain.classDisplayName(Class.forName("hmmtest.suite.HmmDevicePrivateTest"))).isEqualTo("hmm.hmm_device_private");
        assertThat(GuestMain.classDisplayName(GuestMainTest.class)).isEqualTo("GuestMainTest");
    }
}
