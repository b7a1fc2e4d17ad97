package hmmtest.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process-group wrapper around host tools keeps their exit code, output, stdin and environment. */
class ExecTest {
    @Test
    void theToolsExitCodeOutputAndEnvironmentComeThrough(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("tool.log");
        Exec.Result r = Exec.run(List.of("sh", "-c", "echo \"out $GREETING\"; cat; echo err >&2; exit 7"), dir, log,
                Map.of("GREETING", "hello"));
        assertThat(r.exitCode()).isEqualTo(7);
        assertThat(Files.readString(log)).contains("out hello").contains("err").startsWith("$ sh -c ");
    }

    @Test
    void theToolLeadsItsOwnProcessGroup(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("ids.log");
        // ps prints the pgid of the tool's shell; the wrapper's setsid made the wrapper the group leader.
        assertThat(Exec.run(List.of("sh", "-c", "echo pgid=$(ps -o pgid= -p $$ | tr -d ' ') sid=$(ps -o sid= -p $$ | tr -d ' ')"),
                dir, log, Map.of()).exitCode()).isZero();
        String line = Files.readAllLines(log).get(1);
        String pgid = line.replaceAll(".*pgid=(\\d+).*", "$1");
        assertThat(line).contains("sid=" + pgid);
        assertThat(Long.parseLong(pgid)).isNotEqualTo(ProcessHandle.current().pid());
    }
}
