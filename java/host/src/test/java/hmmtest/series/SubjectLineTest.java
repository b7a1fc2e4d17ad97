package hmmtest.series;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Subject, author, date and header-word parsing. (junit-jupiter-params is not on the host test classpath.) */
class SubjectLineTest {

    @Test
    void splitsTagAndSubject() {
        assertThat(SubjectLine.parse("[PATCH v2 3/12] mm: foo"))
                .isEqualTo(new SubjectLine("[PATCH v2 3/12]", "mm: foo", false, 2, 3, 12));
        assertThat(SubjectLine.parse("[v1,03/12] mm/rmap: convert x()"))
                .isEqualTo(new SubjectLine("[v1,03/12]", "mm/rmap: convert x()", false, 1, 3, 12));
        assertThat(SubjectLine.parse("[RFC PATCH net-next 01/10] net: x"))
                .isEqualTo(new SubjectLine("[RFC PATCH net-next 01/10]", "net: x", false, null, 1, 10));
        assertThat(SubjectLine.parse("[RFC] [PATCH 0/2] series intro"))
                .isEqualTo(new SubjectLine("[RFC] [PATCH 0/2]", "series intro", false, null, 0, 2));
        assertThat(SubjectLine.parse("[PATCH] lib: one"))
                .isEqualTo(new SubjectLine("[PATCH]", "lib: one", false, null, null, null));
        assertThat(SubjectLine.parse("Re: [PATCH 2/3] lib: two"))
                .isEqualTo(new SubjectLine("[PATCH 2/3]", "lib: two", true, null, 2, 3));
        assertThat(SubjectLine.parse("lib: no tag"))
                .isEqualTo(new SubjectLine("", "lib: no tag", false, null, null, null));
    }

    @Test
    void coverLetterIsNumberZero() {
        assertThat(SubjectLine.parse("[PATCH v3 00/12] mm: fixes").isCoverLetter()).isTrue();
        assertThat(SubjectLine.parse("[PATCH v3 01/12] mm: fixes").isCoverLetter()).isFalse();
    }

    @Test
    void parsesAuthors() {
        assertThat(Author.parse("David Hildenbrand <david@redhat.com>"))
                .isEqualTo(new Author("David Hildenbrand", "david@redhat.com"));
        assertThat(Author.parse("\"Rödel, Jörg\" <joro@example.org>")).isEqualTo(new Author("Rödel, Jörg", "joro@example.org"));
        assertThat(Author.parse("ada@example.org")).isEqualTo(new Author("ada@example.org", "ada@example.org"));
        assertThat(Author.parse("Ada Lovelace")).isEqualTo(new Author("Ada Lovelace", null));
    }

    @Test
    void parsesPatchworkDates() {
        assertThat(Dates.patchwork("Jan. 29, 2025, 11:54 a.m. UTC")).isEqualTo("2025-01-29T11:54:00Z");
        assertThat(Dates.patchwork("Jan. 30, 2025, 1:46 p.m. UTC")).isEqualTo("2025-01-30T13:46:00Z");
        assertThat(Dates.patchwork("Sept. 3, 2024, 9 a.m.")).isEqualTo("2024-09-03T09:00:00Z");
        assertThat(Dates.patchwork("March 7, 2024, noon")).isEqualTo("2024-03-07T12:00:00Z");
        assertThat(Dates.patchwork("June 1, 2024, 12:05 a.m. UTC")).isEqualTo("2024-06-01T00:05:00Z");
        assertThat(Dates.patchwork("yesterday")).isNull();
    }

    @Test
    void parsesMailDatesAndKeepsUnparseableOnes() {
        assertThat(Dates.mail("Wed, 29 Jan 2025 12:54:01 +0100")).isEqualTo("2025-01-29T12:54:01+01:00");
        assertThat(Dates.mail("Wed, 29 Jan 2025 12:54:01 +0100 (CET)")).isEqualTo("2025-01-29T12:54:01+01:00");
        assertThat(Dates.mail("last Tuesday")).isEqualTo("last Tuesday");
    }

    @Test
    void decodesEncodedWords() {
        assertThat(MailMessage.decodeWords("=?UTF-8?q?J=C3=B6rg=20R=C3=B6del?= <joro@example.org>"))
                .isEqualTo("Jörg Rödel <joro@example.org>");
        assertThat(MailMessage.decodeWords("=?utf-8?b?SsO2cmc=?= =?utf-8?q?_R=C3=B6del?=")).isEqualTo("Jörg Rödel");
    }
}
