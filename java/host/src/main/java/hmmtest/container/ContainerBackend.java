package hmmtest.container;

import java.util.function.Supplier;
import picocli.CommandLine;
import hmmtest.infra.CacheDir;
import hmmtest.infra.Exec;
import hmmtest.infra.ExitCode;
import hmmtest.infra.HarnessException;
import hmmtest.infra.Project;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code BACKEND=container}: runs the same hmmtest command line with the same jars inside a
 * locally built Debian toolchain image, so a host with Docker but without gcc, make, QEMU... runs
 * the whole pipeline with a pinned toolchain.
 *
 * <ol>
 *   <li>Ping the engine: none reachable means exit 8 at once, with how to get one.</li>
 *   <li>Testcontainers' environment variables missing: re-run this command in a child JVM that
 *       has them ({@link TestcontainersEnv}).</li>
 *   <li>Build the image if the engine lacks it ({@link ToolchainImage}; minutes, once per recipe).</li>
 *   <li>Fetch the kernel source and busybox .debs on the host ({@link Prefetch}): the container has
 *       no network.</li>
 *   <li>Run the CLI in the container with {@code HMMTEST_TOOLCHAIN} set, stream its output, return
 *       its exit code ({@link ContainerRun}).</li>
 * </ol>
 */
public final class ContainerBackend {
    static final Duration PING_TIMEOUT = Duration.ofSeconds(3);

    private ContainerBackend() {}

    public static int execute(List<String> args, Map<String, String> env, Supplier<CommandLine> cli) {
        try {
            DockerEngine.fromEnvironment(env).ping(PING_TIMEOUT);
            Map<String, String> missing = TestcontainersEnv.missing(env);
            if (!missing.isEmpty()) {
                return TestcontainersEnv.reexec(args, missing);
            }
            if (Exec.capture(List.of("docker", "--version")) == null) {
                throw new HarnessException(ExitCode.MISSING_HOST_TOOLS, "the docker client is needed to build the"
                        + " toolchain image (docker import): install docker.io, or use BACKEND=local");
            }
            Path checkout = Project.root();
            CacheDir cache = CacheDir.fromEnvironment();
            ToolchainImage.Image image = ToolchainImage.ensure(checkout, cache);
            Invocation inv = Invocation.parse(args, checkout, cli.get());
            Prefetch.run(inv, cache);
            return ContainerRun.run(image, inv, checkout, cache, env);
        } catch (HarnessException h) {
            System.err.println("hmmtest: " + h.getMessage());
            return h.exitCode().code;
        } catch (RuntimeException e) {
            System.err.println("hmmtest: container backend: " + e);
            e.printStackTrace();
            return ExitCode.INCOMPLETE.code;
        }
    }
}
