package hmmtest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Printed rerun lines are pasted into a shell: each make variable must come back as one word, as written. */
class RerunLineTest {

    @Test
    void makeVariablesSurviveTheShell() throws Exception {
        List<String> values = List.of("mm/* lib/test_hmm.c", "it's", "debian:linux-source-6.12=6.12.1-1", "$(reboot)");
        for (String v : values) {
            String word = KernelOptions.makeVar("EXCLUDE", v);
            Process p = new ProcessBuilder("bash", "-c", "printf '%s' " + word).redirectErrorStream(true).start();
            String back = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).isZero();
            assertThat(back).isEqualTo("EXCLUDE=" + v);
        }
        assertThat(KernelOptions.makeVar("VARIANT", "merged")).isEqualTo("VARIANT=merged");
    }
}
