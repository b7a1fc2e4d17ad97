package hmmtest.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TestMarkerTest {

    @Test
    void markersRoundTripThroughAConsoleLine() {
        String line = "[   12.345678][  T231] " + TestMarker.endText("hmm.hmm_device_private.anon_read", "SKIP");
        assertThat(TestMarker.find(line)).contains(new TestMarker(false, "hmm.hmm_device_private.anon_read"));
        assertThat(TestMarker.find("[    1.0] " + TestMarker.startText("badargs.x"))).contains(new TestMarker(true, "badargs.x"));
        assertThat(TestMarker.find("[    1.0] random kernel line")).isEmpty();
    }

    /** LAVA's monitors match end markers with this expression (Python syntax there, the same expression here). */
    @Test
    void endRegexFindsTheTestAndItsStatusInAConsoleLine() {
        Pattern p = Pattern.compile(TestMarker.endRegex("(?<test>\\S+)", "(?<status>[A-Z]+)"));
        Matcher m = p.matcher("[   12.345678][  T231] " + TestMarker.endText("exclusive.mprotect_read_only_revokes", "FAIL"));
        assertThat(m.find()).isTrue();
        assertThat(m.group("test")).isEqualTo("exclusive.mprotect_read_only_revokes");
        assertThat(m.group("status")).isEqualTo("FAIL");
        assertThat(p.matcher(TestMarker.startText("exclusive.mprotect_read_only_revokes")).find()).isFalse();
        // the literal part carries no regex metacharacters, so it means the same in Python's re
        assertThat(TestMarker.endRegex("", "")).matches("[A-Za-z0-9: ]*");
    }
}
