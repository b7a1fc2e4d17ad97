package hmmtest.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** kill -9 of the harness while a VM runs must not leave QEMU behind (parent-death signal). */
class RunnerKilledIT {

    @Test
    void sigkillOfTheRunnerTakesQemuDown() throws Exception {
        // Build (or find) the kernel first, so the runner below reaches QEMU quickly.
        assertThat(hmmtest.cli.Main.execute("kernel", "--variant", "merged")).isZero();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process runner = new ProcessBuilder(List.of(java.toString(), "-Dhmmtest.home=" + System.getProperty("hmmtest.home"),
                "-cp", System.getProperty("java.class.path"), "hmmtest.cli.Main", "run", "--variant", "merged",
                "--results-dir", Path.of("target/it-results/killed").toAbsolutePath().toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        Optional<ProcessHandle> qemu = Optional.empty();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (qemu.isEmpty() && System.nanoTime() < deadline && runner.isAlive()) {
            qemu = runner.descendants()
                    .filter(p -> p.info().command().map(c -> c.contains("qemu-system")).orElse(false))
                    .findFirst();
            Thread.sleep(100);
        }
        assertThat(qemu).as("QEMU started under the runner").isPresent();
        Thread.sleep(1500); // mid-boot
        runner.destroyForcibly(); // SIGKILL: no shutdown hooks run
        runner.waitFor(10, TimeUnit.SECONDS);
        ProcessHandle q = qemu.get();
        q.onExit().get(10, TimeUnit.SECONDS);
        assertThat(q.isAlive()).as("QEMU " + q.pid() + " after SIGKILL of its runner").isFalse();
    }
}
