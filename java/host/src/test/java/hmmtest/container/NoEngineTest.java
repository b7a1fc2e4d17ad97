package hmmtest.container;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.infra.ExitCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BACKEND=container on a machine without a reachable engine: exit 8 within seconds, saying what to do. */
class NoEngineTest {

    /** A socket file nobody listens on any more: connect() is refused. */
    private static Path deadSocket(Path dir) throws IOException {
        Path sock = dir.resolve("docker.sock");
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(sock));
        s.close(); // the file stays, nobody accepts
        assertThat(sock).exists();
        return sock;
    }

    @Test
    void deadSocketFailsAtOnceWithExitEightAndTheWayOut(@TempDir Path dir) throws IOException {
        Path sock = deadSocket(dir);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        long start = System.nanoTime();
        int exit;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = ContainerBackend.execute(List.of("run", "--variant", "merged"),
                    Map.of("DOCKER_HOST", "unix://" + sock, Backend.ENV, "container"),
                    () -> new picocli.CommandLine(new hmmtest.cli.Main()));
        } finally {
            System.setErr(err);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        String message = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).isEqualTo(ExitCode.MISSING_HOST_TOOLS.code).isEqualTo(8);
        assertThat(message).contains("no Docker engine at unix://" + sock)
                .contains("install docker.io and start dockerd").contains("BACKEND=local");
        assertThat(took).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void missingSocketFileToo(@TempDir Path dir) {
        DockerEngine engine = DockerEngine.fromEnvironment(Map.of("DOCKER_HOST", "unix://" + dir.resolve("none.sock")));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine.ping(Duration.ofSeconds(2)))
                .hasMessageContaining("no Docker engine at unix://" + dir.resolve("none.sock"))
                .satisfies(e -> assertThat(((hmmtest.infra.HarnessException) e).exitCode())
                        .isEqualTo(ExitCode.MISSING_HOST_TOOLS));
    }

    @Test
    void defaultEndpointIsTheStandardSocket() {
        assertThat(DockerEngine.fromEnvironment(Map.of()).endpoint()).isEqualTo("unix:///var/run/docker.sock");
    }

    /** The real entry point, in a fresh JVM, chosen by the environment variable: exit 8, local untouched. */
    @Test
    void cliProcessExitsEightThroughTheMainHook(@TempDir Path dir) throws Exception {
        Path sock = deadSocket(dir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "hmmtest.cli.Main", "run", "--variant", "merged"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DOCKER_HOST", "unix://" + sock);
        pb.environment().put(Backend.ENV, "container");
        pb.environment().remove(Backend.IN_CONTAINER_ENV);
        long start = System.nanoTime();
        Process p = pb.start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isEqualTo(8);
        assertThat(out).contains("no Docker engine at unix://" + sock).contains("BACKEND=local");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(Files.exists(sock)).isTrue();
    }
}
