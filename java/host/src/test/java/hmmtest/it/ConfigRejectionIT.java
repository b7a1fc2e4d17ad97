package hmmtest.it;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.cli.Main;
import hmmtest.infra.ExitCode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A requested symbol that Kconfig drops stops the build, names the symbol and its unmet dependency. */
class ConfigRejectionIT {

    @Test
    void symbolWithUnmetDependencyFailsTheBuild() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = Main.execute("kernel", "--variant", "merged", "--config", "CONFIG_DRM_NOUVEAU_SVM=y");
        } finally {
            System.setErr(err);
        }
        String message = captured.toString(StandardCharsets.UTF_8);
        err.print(message);
        assertThat(exit).isEqualTo(ExitCode.CONFIG_REJECTED.code);
        assertThat(message).contains("CONFIG_DRM_NOUVEAU_SVM=y requested, got not set")
                .contains("depends on DRM_NOUVEAU (=n)");
    }
}
