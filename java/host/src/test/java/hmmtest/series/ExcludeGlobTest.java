package hmmtest.series;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Expectations checked by hand against {@code git apply --check --verbose --exclude=GLOB} (git 2.39). */
class ExcludeGlobTest {

    @Test
    void starCrossesDirectories() {
        assertThat(ExcludeGlob.of("Documentation/*").matches("Documentation/translations/zh_CN/mm/hmm.rst")).isTrue();
        assertThat(ExcludeGlob.of("*.rst").matches("Documentation/mm/hmm.rst")).isTrue();
        assertThat(ExcludeGlob.of("Doc*/hmm.rst").matches("Documentation/mm/hmm.rst")).isTrue();
        assertThat(ExcludeGlob.of("Documentation/*").matches("lib/test_hmm.c")).isFalse();
        assertThat(ExcludeGlob.of("Documentation").matches("Documentation/mm/hmm.rst")).isFalse();
    }

    @Test
    void questionMarkClassesAndEscapes() {
        assertThat(ExcludeGlob.of("lib/test_?mm.c").matches("lib/test_hmm.c")).isTrue();
        assertThat(ExcludeGlob.of("[a-b].txt").matches("a.txt")).isTrue();
        assertThat(ExcludeGlob.of("[a-b].txt").matches("c.txt")).isFalse();
        assertThat(ExcludeGlob.of("[!D]*").matches("a.txt")).isTrue();
        assertThat(ExcludeGlob.of("[!D]*").matches("Documentation/d.rst")).isFalse();
        assertThat(ExcludeGlob.of("\\*").matches("a.txt")).isFalse();
        assertThat(ExcludeGlob.of("\\*").matches("*")).isTrue();
        assertThat(ExcludeGlob.of("a+b(1).c").matches("a+b(1).c")).isTrue();
    }
}
