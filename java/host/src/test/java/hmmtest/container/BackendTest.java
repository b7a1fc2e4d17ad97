package hmmtest.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendTest {

    @Test
    void defaultIsLocalAndArgumentsAreUntouched() {
        Backend.Choice c = Backend.choose(new String[] {"run", "--variant", "merged"}, Map.of());
        assertThat(c.backend()).isEqualTo("local");
        assertThat(c.args()).containsExactly("run", "--variant", "merged");
    }

    @Test
    void optionAnywhereBeforeDoubleDashWinsOverEnvironmentAndIsRemoved() {
        Map<String, String> env = Map.of(Backend.ENV, "local");
        assertThat(Backend.choose(new String[] {"--backend", "container", "run"}, env))
                .isEqualTo(new Backend.Choice("container", java.util.List.of("run")));
        assertThat(Backend.choose(new String[] {"run", "--backend=container", "--select", "x"}, env))
                .isEqualTo(new Backend.Choice("container", java.util.List.of("run", "--select", "x")));
        assertThat(Backend.choose(new String[] {"run", "--", "--backend", "container"}, env).backend())
                .isEqualTo("local");
    }

    @Test
    void environmentChoosesWhenNoOption() {
        assertThat(Backend.choose(new String[] {"run"}, Map.of(Backend.ENV, "container")).backend())
                .isEqualTo("container");
    }

    @Test
    void unknownBackendIsAUsageError() {
        assertThatThrownBy(() -> Backend.choose(new String[] {"--backend", "podman", "run"}, Map.of()))
                .hasMessageContaining("unknown backend 'podman'");
        assertThatThrownBy(() -> Backend.choose(new String[] {"run", "--backend"}, Map.of()))
                .hasMessageContaining("needs a value");
        assertThat(Backend.dispatch(new String[] {"--backend=x", "run"}, Map.of(), () -> new picocli.CommandLine(new hmmtest.cli.Main())).exitCode()).isEqualTo(2);
    }

    @Test
    void insideTheContainerAndForHelpNothingIsDelegated() {
        Backend.Dispatch inside = Backend.dispatch(new String[] {"--backend", "container", "kernels"},
                Map.of(Backend.IN_CONTAINER_ENV, "1"), () -> new picocli.CommandLine(new hmmtest.cli.Main()));
        assertThat(inside.exitCode()).isNull();
        assertThat(inside.localArgs()).containsExactly("kernels");
        Backend.Dispatch help = Backend.dispatch(new String[] {"--help"}, Map.of(Backend.ENV, "container",
                "DOCKER_HOST", "unix:///nonexistent/docker.sock"), () -> new picocli.CommandLine(new hmmtest.cli.Main()));
        assertThat(help.exitCode()).isNull();
    }
}
