package hmmtest.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkOrderTest {

    private static WorkOrder.Received roundTrip(WorkOrder order, long clock, byte[] seed) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        order.write(out, clock, seed);
        return WorkOrder.read(new ByteArrayInputStream(out.toByteArray()));
    }

    @Test
    void aSuiteOrderArrivesWithTheHostClockAndSeed() throws IOException {
        byte[] seed = {1, 2, 3, 4};
        WorkOrder.Received r = roundTrip(WorkOrder.suite("hmm.hmm.*", "hmm.hmm.exclusive*", 7), 1_765_000_000_123L, seed);
        assertThat(r.order().mode()).isEqualTo("suite");
        assertThat(r.order().select()).isEqualTo("hmm.hmm.*");
        assertThat(r.order().skip()).isEqualTo("hmm.hmm.exclusive*");
        assertThat(r.order().from()).isEqualTo(7);
        assertThat(r.epochMillis()).isEqualTo(1_765_000_000_123L);
        assertThat(r.seed()).containsExactly(1, 2, 3, 4);
        assertThat(r.order().files()).isEmpty();
    }

    @Test
    void filesAndAbsentSelectionSurviveTheWire() throws IOException {
        WorkOrder fuzz = WorkOrder.mode("fuzz", Map.of("etc/hmmtest/fuzz.args",
                "--seed 9 --actions 100".getBytes(StandardCharsets.UTF_8)));
        WorkOrder back = roundTrip(fuzz, 0, new byte[32]).order();
        assertThat(back.mode()).isEqualTo("fuzz");
        assertThat(back.select()).isNull();
        assertThat(back.skip()).isNull();
        assertThat(new String(back.files().get("etc/hmmtest/fuzz.args"), StandardCharsets.UTF_8))
                .isEqualTo("--seed 9 --actions 100");
    }

    @Test
    void aColdBootGetsTheSameOrderOnTheKernelCommandLine() {
        assertThat(WorkOrder.suite("a.*", null, 3).kernelArgs()).containsExactly("hmmtest.from=3", "hmmtest.select=a.*");
        assertThat(WorkOrder.mode("fuzz", Map.of()).kernelArgs()).containsExactly("hmmtest.mode=fuzz");
        assertThat(WorkOrder.suite(null, null, 0).kernelArgs()).isEmpty();
    }

    @Test
    void bytesThatAreNotAnOrderAreRefused() {
        assertThatThrownBy(() -> WorkOrder.read(new ByteArrayInputStream(new byte[] {0, 0, 0, 1, 0, 0})))
                .isInstanceOf(IOException.class).hasMessageContaining("not a work order");
    }

    @Test
    void aSelectionTooLongForTheCommandLineTravelsAsAFile() {
        String longSelect = String.join(",", java.util.Collections.nCopies(40, "hmm.hmm_device_private.anon_read"));
        WorkOrder order = WorkOrder.suite(longSelect, null, 0);
        assertThat(order.kernelArgs()).noneMatch(a -> a.startsWith("hmmtest.select="));
        assertThat(new String(order.files().get(WorkOrder.SELECT_FILE), StandardCharsets.UTF_8)).isEqualTo(longSelect);
        assertThat(order.select()).isEqualTo(longSelect); // a restored guest gets it over the control port as before

        WorkOrder shortOne = WorkOrder.suite("hmm.*", null, 0);
        assertThat(shortOne.kernelArgs()).contains("hmmtest.select=hmm.*");
        assertThat(shortOne.files()).isEmpty();
    }
}
