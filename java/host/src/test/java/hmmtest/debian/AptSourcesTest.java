package hmmtest.debian;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AptSourcesTest {

    @Test
    void readsDeb822StanzasWithSeveralSuitesAndSkipsDisabledOnes() {
        List<AptSources.Entry> e = AptSources.parseDeb822("""
                Types: deb
                # http://snapshot.debian.org/archive/debian/20250520T000000Z
                URIs: http://deb.example.org/debian
                Suites: bookworm bookworm-updates
                Components: main
                Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

                Types: deb
                URIs: http://deb.example.org/debian-security
                Suites: bookworm-security
                Components: main

                Types: deb
                URIs: http://off.example.org/debian
                Suites: sid
                Components: main
                Enabled: no
                """);
        assertThat(e).containsExactly(
                new AptSources.Entry("http://deb.example.org/debian", "bookworm", List.of("main")),
                new AptSources.Entry("http://deb.example.org/debian", "bookworm-updates", List.of("main")),
                new AptSources.Entry("http://deb.example.org/debian-security", "bookworm-security", List.of("main")));
    }

    @Test
    void readsOneLineFormatIgnoringOptionsSourcesAndComments() {
        List<AptSources.Entry> e = AptSources.parseOneLine("""
                # comment
                deb [signed-by=/k.gpg arch=amd64] http://m.example.org/debian bookworm main contrib
                deb-src http://m.example.org/debian bookworm main
                """);
        assertThat(e).containsExactly(
                new AptSources.Entry("http://m.example.org/debian", "bookworm", List.of("main", "contrib")));
    }

    @Test
    void addsBackportsOnTheMirrorThatServesTheReleaseSuite() {
        List<AptSources.Entry> machine = List.of(
                new AptSources.Entry("http://sec.example.org/debian-security", "bookworm-security", List.of("main")),
                new AptSources.Entry("http://deb.example.org/debian", "bookworm", List.of("main")));
        List<AptSources.Entry> all = AptSources.withExtraSuites(machine, List.of("trixie-backports"));
        assertThat(all).hasSize(3).last()
                .isEqualTo(new AptSources.Entry("http://deb.example.org/debian", "trixie-backports", List.of("main")));
        assertThat(AptSources.render(all)).contains("deb http://deb.example.org/debian trixie-backports main\n");
    }
}
