package hmmtest.lava;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LavaLogTest {

    /** Lines as lava-run 2023.01 wrote them (PyYAML, every scalar double-quoted), one of them as a server serves it. */
    @Test
    void readsTargetLinesAndResultMappingsWithPyYamlEscapes() {
        List<LavaLog.Entry> e = LavaLog.parse(List.of(
                "{\"dt\": \"2026-12-04T20:14:41.805704\", \"lvl\": \"target\", \"msg\": \"[   11.021631][   T66] hmmtest: end a.b PASS\"}",
                "- {\"dt\": \"2026-12-04T20:14:42.621859\", \"lvl\": \"results\", \"msg\": {\"case\": \"a_b\", \"definition\":"
                        + " \"hmmtest\", \"extra\": {\"test_case_id\": \"a.b\"}, \"level\": \"3.1\", \"result\": \"pass\"}}",
                "{\"dt\": \"x\", \"lvl\": \"target\", \"msg\": \"tab\\there \\\\\\\" quote \\x41\\u00e9\\e[0m\"}",
                "{\"dt\": \"x\", \"lvl\": \"debug\", \"msg\": {\"list\": [\"1\", !!int \"2\"], \"none\": !!null \"\"}}",
                "not a log line",
                "{\"dt\": \"x\", \"lvl\": \"target\", \"msg\": \"cut short"));
        assertThat(e).hasSize(4);
        assertThat(e.get(0).lvl()).isEqualTo("target");
        assertThat(e.get(0).text()).isEqualTo("[   11.021631][   T66] hmmtest: end a.b PASS");
        assertThat(e.get(1).map()).containsEntry("definition", "hmmtest").containsEntry("result", "pass")
                .containsEntry("extra", Map.of("test_case_id", "a.b"));
        assertThat(e.get(2).text()).isEqualTo("tab\there \\\" quote A\u00e9\u001b[0m");
        assertThat(e.get(3).map().get("list")).isEqualTo(List.of("1", "2"));
    }
}
