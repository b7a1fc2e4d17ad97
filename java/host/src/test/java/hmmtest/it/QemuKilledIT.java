package hmmtest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmmtest.cli.Main;
import hmmtest.infra.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * QEMU killed from outside (SIGKILL) while a test runs in it: that is the machine going away,
 * not a kernel crash. The run must end with exit 4, write results.json, and report the test in
 * flight and every later one NOT_RUN with the reason; no crash is recorded and no fresh VM is
 * started under whatever is killing them.
 */
class QemuKilledIT {

    static final String SLOW_TESTS = "hmm.hmm_device_private.migrate_remap_fault,hmm.hmm_device_private.migrate_multiple,"
            + "hmm.hmm_device_private.anon_teardown";

    @Test
    void sigkillOfQemuMidTestIsIncompleteWithTheRestNotRun() throws Exception {
        assertThat(Main.execute("kernel", "--variant", "merged")).isZero();
        Path results = Path.of("target/it-results/qemu-killed").toAbsolutePath();
        hmmtest.infra.CacheDir.deleteQuietly(results);
        // Tests of several seconds each, so the kill lands inside one: the default smoke tests take
        // milliseconds, and a restored guest had finished them all by the time QEMU was killed.
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.execute("smoke", "--variant", "merged",
                "--select", SLOW_TESTS, "--results-dir", results.toString()));
        Path records = results.resolve("vm-1/results.log");
        String inFlight = null;
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (inFlight == null && System.nanoTime() < deadline && !run.isDone()) {
            if (Files.isRegularFile(records)) {
                for (String line : Files.readAllLines(records)) {
                    if (line.startsWith("start\t")) {
                        inFlight = line.substring("start\t".length());
                    }
                }
            }
            Thread.sleep(20);
        }
        assertThat(inFlight).as("a test started in VM 1").isNotNull();
        Optional<ProcessHandle> qemu = Processes.qemuChildren().stream().findFirst();
        assertThat(qemu).as("QEMU running under this JVM").isPresent();
        qemu.get().destroyForcibly(); // SIGKILL, from outside the harness's own code paths
        int exit = run.get(2, TimeUnit.MINUTES);
        // The guest ran on between our look and the kill (a test takes milliseconds): the test in
        // flight is the last one the records show started and not ended, now that QEMU is gone.
        inFlight = null;
        for (String line : Files.readAllLines(records)) {
            if (line.startsWith("start\t")) {
                inFlight = line.substring("start\t".length());
            } else if (line.startsWith("end\t") && inFlight != null && line.startsWith("end\t" + inFlight + "\t")) {
                inFlight = null;
            }
        }
        assertThat(inFlight).as("a test in flight when QEMU was killed").isNotNull();

        assertThat(exit).isEqualTo(ExitCode.INCOMPLETE.code);
        JsonNode json = new ObjectMapper().readTree(results.resolve("results.json").toFile());
        assertThat(json.path("exitCode").asInt()).isEqualTo(ExitCode.INCOMPLETE.code);
        assertThat(json.path("crashes")).as("a killed QEMU is no kernel crash").isEmpty();
        assertThat(json.path("vms")).as("no fresh VM after QEMU was killed").hasSize(1);
        String reason = "QEMU was killed by signal 9 (SIGKILL) (not by the guest kernel) during " + inFlight;
        assertThat(json.path("incomplete").asText()).contains(reason);
        List<String> plan = new ObjectMapper().convertValue(json.path("plan"), List.class);
        int at = plan.indexOf(inFlight);
        assertThat(at).isNotNegative();
        JsonNode tests = json.path("tests");
        assertThat(tests).hasSize(plan.size());
        for (int i = 0; i < tests.size(); i++) {
            JsonNode t = tests.get(i);
            if (i < at) {
                assertThat(t.path("status").asText()).as(t.path("id").asText()).isEqualTo("PASS");
            } else {
                assertThat(t.path("status").asText()).as(t.path("id").asText()).isEqualTo("NOT_RUN");
                assertThat(t.path("message").asText()).contains(reason);
            }
        }
        assertThat(Processes.qemuChildren()).isEmpty();
    }
}
