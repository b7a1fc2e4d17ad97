package hmmtest.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmmtest.model.ModelOptions;
import hmmtest.uapi.AbiVersion;
import org.junit.jupiter.api.Test;

class TargetTest {
    @Test
    void theLineTheGuestSendsGivesTheHostTheSameModel() {
        Target t = new Target(AbiVersion.V7_3, 524288, true, 0x4000_0000_0000L);
        Target back = Target.parse(t.encode());
        assertThat(back).isEqualTo(t);
        assertThat(back.options()).isEqualTo(ModelOptions.defaults().withGuestRamPages(524288).withCoherentDevices(true));
        assertThat(back.layout().arenaBase()).isEqualTo(0x4000_0000_0000L);
    }

    @Test
    void anythingElseIsRefused() {
        assertThatThrownBy(() -> Target.parse("abi=V7_3 ram-pages=x")).isInstanceOf(IllegalArgumentException.class);
    }
}
