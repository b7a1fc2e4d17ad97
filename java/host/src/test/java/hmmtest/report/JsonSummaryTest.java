package hmmtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class JsonSummaryTest {

    @Test
    void theSameFactsForMachines() throws Exception {
        String text = Json.MAPPER.writeValueAsString(JsonSummary.of(Fixtures.withBase("base", "patched", "cut-short")));
        JsonNode j = Json.MAPPER.readTree(text);
        assertThat(j.path("verdict").asText()).isEqualTo("CRASH_IN_PATCHED");
        assertThat(j.path("exitCode").asInt()).isEqualTo(3);
        assertThat(j.path("base").asText()).isEqualTo("base");

        JsonNode patched = j.path("runs").get(1);
        assertThat(patched.path("label").asText()).isEqualTo("patched");
        assertThat(patched.path("counts").path("PASS").asInt()).isEqualTo(8);
        assertThat(patched.path("counts").path("CRASHED").asInt()).isEqualTo(1);
        assertThat(patched.path("patches").get(0).path("sha256").asText()).startsWith("5e1f0c8a");
        assertThat(patched.path("crashes").get(0).path("title").asText())
                .isEqualTo("BUG: kernel NULL pointer dereference in make_device_exclusive");
        assertThat(patched.path("crashes").get(0).path("new").asBoolean()).isTrue();
        assertThat(patched.path("exitCode").asInt()).isEqualTo(3);
        assertThat(j.path("runs").get(2).path("complete").asBoolean()).isFalse();
        assertThat(j.path("runs").get(2).path("exitCode").isNull()).isTrue();

        assertThat(j.path("newFailures")).hasSize(2);
        assertThat(j.path("newFailures").get(1).toString()).isEqualTo(
                "{\"run\":\"patched\",\"test\":\"hmm.hmm_device_private.exclusive\",\"base\":\"PASS\","
                        + "\"patched\":\"CRASHED\"}");
        assertThat(j.path("newCrashes")).hasSize(1);

        JsonNode exclusive = j.path("tests").get(5);
        assertThat(exclusive.path("id").asText()).isEqualTo("hmm.hmm_device_private.exclusive");
        assertThat(exclusive.path("verdicts").toString())
                .isEqualTo("{\"base\":\"PASS\",\"patched\":\"CRASHED\",\"cut-short\":null}");
        assertThat(exclusive.path("newFailureIn").toString()).isEqualTo("[\"patched\"]");
    }
}
