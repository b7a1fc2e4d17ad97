package hmmtest.engine;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.model.Action;
import hmmtest.uapi.Command;
import org.junit.jupiter.api.Test;

class PhaseProfileTest {

    @Test
    void everyPhaseAndEveryActionKindIsAccountedFor() {
        PhaseProfile p = new PhaseProfile();
        p.mark();
        p.lap(PhaseProfile.Phase.GENERATE);
        p.performed(new Action.Ioctl(0, Command.READ, 1, 0, 1));
        p.performed(new Action.Ioctl(0, Command.READ, 1, 0, 64));
        p.performed(new Action.Ioctl(0, 0x7f, 1, 0, 0, 3, 0));
        p.performed(new Action.Open(0, 0));
        String d = p.describe(4);
        assertThat(d).startsWith("4 actions in ")
                .contains("generate ", "predict ", "write-ahead ", "perform ", "judge-apply ", "new-sequence ",
                        "divergence ", "other ")
                .contains("ioctl READ 1p 1 ", "ioctl READ >16p 1 ", "ioctl 0x7f 2-16p 1 ", "Open 1 ");
    }
}
