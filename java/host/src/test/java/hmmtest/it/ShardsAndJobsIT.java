package hmmtest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmmtest.cli.Main;
import hmmtest.infra.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.Test;

/**
 * The same selection run three ways on the cached merged kernel: at once; as shards 1/2 and 2/2
 * merged with `hmmtest merge`; and with two VMs pulling from one queue, a crash probe among the
 * tests. Every way gives the same verdict for every test, each test runs exactly once, and the
 * crash ends only its VM.
 */
class ShardsAndJobsIT {
    private static final String SELECT = "hmm.hmm_device_private.*";
    private static final Path ROOT = Path.of("target/it-results/shards").toAbsolutePath();

    static Map<String, String> verdicts(Path dir) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode t : new ObjectMapper().readTree(dir.resolve("results.json").toFile()).path("tests")) {
            out.put(t.path("id").asText(), t.path("status").asText());
        }
        return out;
    }

    @Test
    void shardsMergeIntoTheUnshardedVerdictsAndTwoJobsAgreeWithOne() throws Exception {
        FileUtils.deleteDirectory(ROOT.toFile());
        Path all = ROOT.resolve("all");
        assertThat(Main.execute("run", "--variant", "merged", "--select", SELECT, "--confirm", "0",
                "--results-dir", all.toString())).isZero();
        Map<String, String> expected = verdicts(all);
        assertThat(expected).hasSizeGreaterThan(30);

        List<String> ran = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            Path d = ROOT.resolve("shard-" + i);
            assertThat(Main.execute("run", "--variant", "merged", "--select", SELECT, "--shard", i + "/2", "--confirm", "0",
                    "--results-dir", d.toString())).isZero();
            ran.addAll(verdicts(d).keySet());
            dirs.add(d.toString());
        }
        assertThat(ran).as("every test of the selection in exactly one shard").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expected.keySet());

        Path merged = ROOT.resolve("merged");
        List<String> args = new ArrayList<>(List.of("merge", "--results-dir", merged.toString()));
        args.addAll(dirs);
        assertThat(Main.execute(args.toArray(String[]::new))).isZero();
        assertThat(verdicts(merged)).containsExactlyEntriesOf(expected); // and in plan order
        try (var junit = Files.list(merged.resolve("junit"))) {
            assertThat(junit.toList()).hasSize(1);
        }
        String ktap = Files.readString(merged.resolve("results.ktap"));
        assertThat(ktap.lines().filter(l -> l.startsWith("KTAP version"))).hasSize(1);
        assertThat(ktap).contains("1..1");

        // two VMs from one queue; the crash probe ends its own VM only
        Path jobs = ROOT.resolve("jobs-2");
        int exit = Main.execute("run", "--variant", "merged", "--select", SELECT + ",crashprobe.panic", "--jobs", "2",
                "--confirm", "0", "--results-dir", jobs.toString());
        assertThat(exit).isEqualTo(ExitCode.KERNEL_CRASH.code);
        Map<String, String> two = verdicts(jobs);
        assertThat(two.remove("crashprobe.panic")).isEqualTo("CRASHED");
        assertThat(two).containsExactlyInAnyOrderEntriesOf(expected);
        JsonNode r = new ObjectMapper().readTree(jobs.resolve("results.json").toFile());
        assertThat(r.path("crashes")).hasSize(1);
        assertThat(r.path("crashes").get(0).path("test").asText()).isEqualTo("crashprobe.panic");
        assertThat(r.path("vms").size()).as("at least one VM per job, and one more after the crash").isGreaterThanOrEqualTo(3);
        assertThat(Processes.qemuChildren()).isEmpty();
    }
}
