package hmmtest.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.protocol.ResultRecord.Kind;
import org.junit.jupiter.api.Test;

class ResultRecordTest {

    @Test
    void roundTripsTextWithTabsNewlinesAndBackslashes() {
        ResultRecord r = ResultRecord.of(Kind.END, "hmm.x", "FAIL", "12", "expected <1>\n\tbut was \\ <2>");
        String line = r.encode();
        assertThat(line).doesNotContain("\n");
        assertThat(ResultRecord.decode(line)).isEqualTo(r);
    }

    @Test
    void rejectsTruncatedAndUnknownLines() {
        assertThat(ResultRecord.decode("end\thmm.x\tPASS")).isNull();
        assertThat(ResultRecord.decode("bogus\tx")).isNull();
        assertThat(ResultRecord.decode("start\tx\\")).isNull();
        assertThat(ResultRecord.decode("")).isNull();
    }

    @Test
    void keepsEmptyTrailingFields() {
        ResultRecord r = ResultRecord.of(Kind.END, "t", "PASS", "3", "");
        assertThat(ResultRecord.decode(r.encode()).field(3)).isEmpty();
    }
}
