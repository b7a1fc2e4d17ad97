package hmmtest.lava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmmtest.infra.ExitCode;
import hmmtest.infra.HarnessException;
import hmmtest.pipeline.ResultFiles;
import hmmtest.protocol.ResultRecord;
import hmmtest.protocol.ResultRecord.Kind;
import hmmtest.protocol.TestMarker;
import hmmtest.results.TestOutcome;
import hmmtest.results.TestStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lava-results on job outputs written here the way lava-run and the guest write them. */
class LavaResultsTest {
    @TempDir
    Path tmp;

    /** An output directory: the facts lava-job writes, the records file, and LAVA's log of these console lines. */
    Path output(List<String> console, List<String> records, List<String> moreLog) throws IOException {
        Path out = Files.createDirectories(tmp.resolve("job/output"));
        Files.writeString(tmp.resolve("job/job.yaml"), "device_type: qemu\n");
        Files.writeString(out.resolve(LavaJob.FACTS), "{\"variant\": \"merged\", \"kernelBuild\": \"/cache/merged-x\","
                + " \"select\": \"t.*\", \"strict\": false, \"memoryMb\": 2048, \"wholeRunSeconds\": 900, \"perTestSeconds\": null}");
        Files.createDirectories(out.resolve(LavaJob.KERNEL));
        Files.writeString(out.resolve(LavaJob.KERNEL).resolve("manifest.json"), "{\"kernelRelease\": \"7.3.4\"}");
        Files.write(out.resolve(LavaJob.RECORDS), records);
        List<String> log = new ArrayList<>();
        int s = 10;
        for (String line : console) {
            // lava's shell logger writes a console's " as \" before the YAML dump
            log.add("{\"dt\": \"2026-12-04T20:14:" + (s++ % 60) + ".000000\", \"lvl\": \"target\", \"msg\": "
                    + LavaJob.q(line.replace("\"", "\\\"")) + "}");
        }
        log.addAll(moreLog);
        Files.write(out.resolve(LavaJob.LOG), log);
        return out;
    }

    static String lavaCase(String test, String result) {
        return "{\"dt\": \"2026-12-04T20:15:00.000000\", \"lvl\": \"results\", \"msg\": {\"case\": \"" + test.replace('.', '_')
                + "\", \"definition\": \"hmmtest\", \"extra\": {\"test_case_id\": \"" + test + "\"}, \"result\": \"" + result + "\"}}";
    }

    static String lavaJob(String result, String error) {
        return "{\"dt\": \"2026-12-04T20:15:01.000000\", \"lvl\": \"results\", \"msg\": {\"case\": \"job\", \"definition\": \"lava\","
                + (error == null ? "" : " \"error_msg\": \"" + error + "\", \"error_type\": \"Test\",") + " \"result\": \"" + result + "\"}}";
    }

    static List<String> records(String... kindsAndFields) {
        List<String> out = new ArrayList<>();
        for (String r : kindsAndFields) {
            String[] f = r.split("\\|", -1);
            out.add(ResultRecord.of(Kind.valueOf(f[0]), java.util.Arrays.copyOfRange(f, 1, f.length)).encode());
        }
        return out;
    }

    static List<String> corpus(String name) throws IOException {
        try (InputStream in = LavaResultsTest.class.getResourceAsStream("/console/" + name)) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            return lines.subList(lines.indexOf("") + 1, lines.size());
        }
    }

    static Map<String, TestStatus> statuses(List<TestOutcome> tests) {
        Map<String, TestStatus> out = new LinkedHashMap<>();
        tests.forEach(t -> out.put(t.id(), t.status()));
        return out;
    }

    @Test
    void aCleanJobGivesItsVerdictsAndLavasAgree() throws IOException {
        Path out = output(List.of("[    2.3] Run /init as init process", "[    5.0] " + TestMarker.startText("t.a"),
                        "[    5.1] " + TestMarker.endText("t.a", "PASS"), "[    5.2] " + TestMarker.startText("t.b"),
                        "[    5.3] " + TestMarker.endText("t.b", "SKIP"), "hmmtest-init: guest harness exited with 0"),
                records("PHASE|init|2.3", "PLAN|0|t.a", "PLAN|1|t.b", "START|t.a", "END|t.a|PASS|12|", "START|t.b",
                        "END|t.b|SKIP|0|no coherent device", "DONE|0"),
                List.of(lavaCase("t.a", "pass"), lavaCase("t.b", "skip"), lavaJob("pass", null)));
        LavaResults.Result r = LavaResults.write(LavaOutput.read(out), tmp.resolve("results"));
        assertThat(statuses(r.session().tests())).containsExactly(Map.entry("t.a", TestStatus.PASS),
                Map.entry("t.b", TestStatus.SKIP));
        assertThat(r.disagreements()).isEmpty();
        assertThat(ResultFiles.exitCode(r.session())).isEqualTo(ExitCode.OK);
        String json = Files.readString(tmp.resolve("results/results.json"));
        assertThat(json).contains("\"kernelBuild\" : \"/cache/merged-x\"", "\"lava\"", "\"result\" : \"skip\"");
    }

    /**
     * A kernel oops ends the LAVA job's one VM: the test is pinned as in our own sessions, the
     * tests after it did not run (no fresh VM), LAVA has no case for either and so agrees.
     */
    @Test
    void anOopsIsPinnedOnItsTestAndTheRestDidNotRun() throws IOException {
        List<String> console = new ArrayList<>(List.of("[    5.0] " + TestMarker.startText("t.a"),
                "[    5.1] " + TestMarker.endText("t.a", "PASS"), "[    5.2] " + TestMarker.startText("t.b")));
        console.addAll(corpus("0002"));
        Path out = output(console, records("PLAN|0|t.a", "PLAN|1|t.b", "PLAN|2|t.c", "START|t.a", "END|t.a|PASS|12|",
                "START|t.b"), List.of(lavaCase("t.a", "pass"), lavaJob("fail", "lava test monitoring reached end of file")));
        LavaResults.Result r = LavaResults.write(LavaOutput.read(out), tmp.resolve("results"));
        assertThat(statuses(r.session().tests())).containsExactly(Map.entry("t.a", TestStatus.PASS),
                Map.entry("t.b", TestStatus.CRASHED), Map.entry("t.c", TestStatus.NOT_RUN));
        assertThat(r.session().crashes()).singleElement().satisfies(c -> {
            assertThat(c.test()).isEqualTo("t.b");
            assertThat(c.title()).isEqualTo("BUG: kernel NULL pointer dereference in make_device_exclusive");
        });
        assertThat(r.session().tests().get(2).message()).contains("a LAVA job is one VM")
                .contains("lava test monitoring reached end of file");
        assertThat(r.disagreements()).isEmpty();
        assertThat(ResultFiles.exitCode(r.session())).isEqualTo(ExitCode.KERNEL_CRASH);
    }

    @Test
    void lavasOtherVerdictIsSaid() throws IOException {
        Path out = output(List.of("[    5.0] " + TestMarker.startText("t.a"), "[    5.1] " + TestMarker.endText("t.a", "FAIL")),
                records("PLAN|0|t.a", "START|t.a", "END|t.a|FAIL|12|expected 1", "DONE|1"),
                List.of(lavaCase("t.a", "pass"), lavaCase("t.z", "pass"), lavaJob("pass", null)));
        LavaResults.Result r = LavaResults.write(LavaOutput.read(out), tmp.resolve("results"));
        assertThat(r.disagreements()).containsExactly("t.a: ours FAIL, LAVA pass", "t.z: LAVA pass, not a test of ours");
    }

    @Test
    void whatIsNotAFinishedJobOfOursIsRefusedWithWhatToDo() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> LavaOutput.read(empty))
                .isInstanceOfSatisfying(HarnessException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("not the output directory of a job written by `hmmtest lava-job`")
                .hasMessageContaining("nor a lava-run output");
        Path noLog = Files.createDirectories(tmp.resolve("nolog"));
        Files.writeString(noLog.resolve(LavaJob.FACTS), "{}");
        Files.writeString(noLog.resolve("result.yaml"), "result: pass\n");
        assertThatThrownBy(() -> LavaOutput.read(noLog)).hasMessageContaining("writes its log on stderr");
        assertThatThrownBy(() -> LavaOutput.read(tmp.resolve("missing"))).hasMessageContaining("is not a directory");
        assertThat(hmmtest.cli.Main.execute("lava-results", empty.toString())).isEqualTo(ExitCode.USAGE.code);
    }
}
