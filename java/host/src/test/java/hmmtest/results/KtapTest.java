package hmmtest.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KtapTest {

    @Test
    void readsKselftestHarnessOutput() {
        List<Ktap.Result> r = Ktap.parse(List.of(
                "TAP version 13",
                "1..4",
                "# Starting 4 tests from 2 test cases.",
                "#  RUN           hmm.hmm_device_private.open_close ...",
                "#            OK  hmm.hmm_device_private.open_close",
                "ok 1 hmm.hmm_device_private.open_close",
                "not ok 2 hmm.hmm_device_private.exclusive",
                "ok 3 hmm.hmm_device_coherent.open_close # SKIP DEVICE_COHERENT not available",
                "[   12.3][ T1] some kernel line",
                "  ok 1 nested.case",
                "# Totals: pass:1 fail:1 xfail:0 xpass:0 skip:1 error:0"));
        assertThat(r).extracting(Ktap.Result::name).containsExactly("hmm.hmm_device_private.open_close",
                "hmm.hmm_device_private.exclusive", "hmm.hmm_device_coherent.open_close", "nested.case");
        assertThat(r).extracting(Ktap.Result::status).containsExactly(TestStatus.PASS, TestStatus.FAIL,
                TestStatus.SKIP, TestStatus.PASS);
        assertThat(r.get(2).reason()).isEqualTo("DEVICE_COHERENT not available");
        assertThat(r.get(3).depth()).isEqualTo(1);
    }
}
