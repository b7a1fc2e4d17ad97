package hmmtest.it;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.cli.Main;
import hmmtest.lava.LavaJob;
import hmmtest.lava.LavaOutput;
import hmmtest.lava.LavaRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.Test;

/**
 * The same small selection on the cached merged kernel, run directly and as a LAVA job under
 * Debian's real lava-run (qemu device type, no KVM): LAVA's own test cases, and our results
 * rebuilt from the job's output, give every test the verdict the direct run gave. Without the
 * coherent devices, so one test is skipped and LAVA's skip is checked too. lava-run missing
 * fails this test (scripts/ensure-host-packages --tests installs lava-dispatcher).
 */
class LavaRunIT {
    /** Quick tests (a few seconds under TCG): two groups, and one that skips without the coherent devices. */
    static final String SELECT = "hmm.hmm_device_private.open_close,hmm.hmm_device_private.anon_read,"
            + "hmm.hmm_device_private.migrate,exclusive.munmap_revokes,hmm2.hmm2_device_coherent.snapshot";
    private static final Path ROOT = Path.of("target/it-results/lava").toAbsolutePath();

    @Test
    void aLavaJobGivesTheVerdictsOfADirectRun() throws Exception {
        LavaRun.checkAvailable(); // fails, never skips, when lava-run is missing
        FileUtils.deleteDirectory(ROOT.toFile());
        Path direct = ROOT.resolve("direct");
        Path job = ROOT.resolve("job");

        // Cold boots both: a LAVA job boots cold, so the wall times compare like with like.
        long t0 = System.nanoTime();
        assertThat(Main.execute("run", "--variant", "merged", "--no-coherent", "--no-snapshot", "--confirm", "0",
                "--select", SELECT, "--results-dir", direct.toString())).as("direct run").isZero();
        double directSeconds = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        assertThat(Main.execute("lava-run", "--variant", "merged", "--no-coherent", "--select", SELECT,
                "--job-dir", job.toString(), "--job-id", "4242")).as("make lava-run").isZero();
        double lavaSeconds = (System.nanoTime() - t0) / 1e9;

        Map<String, String> ours = ShardsAndJobsIT.verdicts(direct);
        assertThat(ours).hasSize(5).containsEntry("hmm2.hmm2_device_coherent.snapshot", "SKIP")
                .containsEntry("hmm.hmm_device_private.migrate", "PASS");

        // LAVA's own test cases (its monitors over the console), in LAVA's words
        LavaOutput out = LavaOutput.read(job.resolve(LavaJob.OUTPUT));
        Map<String, String> lava = new LinkedHashMap<>();
        out.cases().forEach(c -> lava.put(c.test(), c.result()));
        Map<String, String> expected = new LinkedHashMap<>();
        ours.forEach((id, s) -> expected.put(id, s.equals("PASS") ? "pass" : s.equals("SKIP") ? "skip" : "fail"));
        assertThat(lava).as("LAVA's test cases").isEqualTo(expected);
        assertThat(out.job()).containsEntry("result", "pass");

        // our results rebuilt from the job's output, by make lava-run and by lava-results alone
        assertThat(ShardsAndJobsIT.verdicts(job)).as("lava-run's results").isEqualTo(ours);
        Path again = ROOT.resolve("results-again");
        assertThat(Main.execute("lava-results", job.resolve(LavaJob.OUTPUT).toString(), "--results-dir", again.toString()))
                .isZero();
        assertThat(ShardsAndJobsIT.verdicts(again)).as("lava-results' results").isEqualTo(ours);
        for (String report : new String[] {"summary.txt", "report.html", "results.ktap", "summary.json", "kcidb.json",
            "junit/TEST-hmmtest-merged.xml"}) {
            assertThat(job.resolve(report)).isRegularFile();
        }
        assertThat(Files.readString(job.resolve("results.ktap"))).contains("ok 1 ").contains("# SKIP");
        assertThat(Processes.qemuChildren()).isEmpty();
        System.out.printf(java.util.Locale.ROOT, "LavaRunIT: %d tests, verdicts equal; wall: direct run (cold boot) %.1f s,"
                + " LAVA job (lava-job + lava-run + lava-results) %.1f s, LAVA's log %.1f s%n", ours.size(), directSeconds,
                lavaSeconds, out.wallTime().toMillis() / 1000.0);
    }
}
