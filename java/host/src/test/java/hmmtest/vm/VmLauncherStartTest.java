package hmmtest.vm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class VmLauncherStartTest {

    @Test
    void eachWayOfStartingSaysWhatHappenedAndWhichSnapshot() {
        assertThat(new VmLauncher.Start(VmLauncher.Start.RESTORED, "abc", null, null, null, 0.64).describe())
                .isEqualTo("restored from snapshot abc in 0.6 s");
        assertThat(new VmLauncher.Start(VmLauncher.Start.SAVED, "abc", null, 0.031, 330L << 20, 0.9).describe())
                .isEqualTo("booted, saved as snapshot abc in 0.03 s (330 MiB), restored in 0.9 s");
        assertThat(new VmLauncher.Start(VmLauncher.Start.BOOTED, null, "restore of snapshot abc failed: gone",
                null, null, null).describe()).isEqualTo("booted (restore of snapshot abc failed: gone)");
    }

    @Test
    void theStartRoundTripsThroughResultsJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        VmLauncher.Start s = new VmLauncher.Start(VmLauncher.Start.SAVED, "k", null, 0.5, 42L, 1.25);
        assertThat(json.readValue(json.writeValueAsString(s), VmLauncher.Start.class)).isEqualTo(s);
    }
}
