package hmmtest.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangedLinesTest {
    @TempDir
    Path tmp;

    static final String FIRST = """
            --- a/lib/test_hmm.c
            +++ b/lib/test_hmm.c
            @@ -10,3 +10,4 @@ static int f(void)
             a
            +b
             c
             d
            @@ -40,2 +41,3 @@
             x
            +y
             z
            """;

    /** Adds two lines above the first patch's lines and removes the first patch's line 42 ("y"). */
    static final String SECOND = """
            --- a/lib/test_hmm.c
            +++ b/lib/test_hmm.c
            @@ -1,2 +1,4 @@
             head
            +new1
            +new2
             next
            @@ -41,3 +43,2 @@
             x
            -y
             z
            """;

    @Test
    void addedLinesAreNumberedAsInTheTreeAfterTheWholeSeries() {
        Map<String, TreeSet<Integer>> one = ChangedLines.of(List.of(FIRST));
        assertThat(one.get("lib/test_hmm.c")).containsExactly(11, 42);
        Map<String, TreeSet<Integer>> both = ChangedLines.of(List.of(FIRST, SECOND));
        // "b" moved from 11 to 13; "y" was removed by the second patch; new1/new2 at 2 and 3
        assertThat(both.get("lib/test_hmm.c")).containsExactly(2, 3, 13);
    }

    @Test
    void eachChangedLineIsReachedNotReachedOrNotCode() throws Exception {
        Path info = Files.writeString(tmp.resolve("c.info"), """
                SF:/cache/gcov/src/lib/test_hmm.c
                DA:11,5
                DA:42,0
                end_of_record
                """);
        var verdicts = ChangedLines.judge(Map.of("lib/test_hmm.c", new TreeSet<>(List.of(11, 42, 43)),
                "mm/page_alloc.c", new TreeSet<>(List.of(7))), Tracefile.read(info));
        String text = ChangedLines.render(verdicts);
        assertThat(text).contains("lib/test_hmm.c: 1 of 2 changed code lines executed; NO TEST REACHED lines 42")
                .contains("mm/page_alloc.c: not instrumented");
        assertThat(ChangedLines.ranges(List.of(1, 2, 3, 7, 9, 10))).isEqualTo("1-3, 7, 9-10");
    }

    @Test
    void aSeriesWhoseCodeNeverRanIsWarnedAbout() throws Exception {
        Path info = Files.writeString(tmp.resolve("c.info"), "SF:/x/mm/hmm.c\nDA:5,0\nend_of_record\n");
        String text = ChangedLines.render(ChangedLines.judge(Map.of("mm/hmm.c", new TreeSet<>(List.of(5))),
                Tracefile.read(info)));
        assertThat(text).contains("WARNING: the series' changed code was never executed");
    }
}
