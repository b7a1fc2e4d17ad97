package hmmtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hmmtest.results.TestOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KtapWriterTest {

    @Test
    void eachVerdictHasItsKtapForm() {
        List<String> lines = KtapWriter.lines(Fixtures.withBase("base", "patched", "deadline", "cut-short"));
        assertThat(lines.subList(0, 3)).containsExactly("KTAP version 1", "# hmmtest: 4 kernel run(s), base base",
                "1..4");
        assertThat(lines).contains(
                "  ok 2 hmm.hmm_device_private.anon_read",
                "  ok 8 hmm.hmm_device_coherent.anon_read # SKIP no device coherent memory: test_hmm loaded"
                        + " without spm_addr_dev0",
                "  # new failure (base: PASS)",
                "  #   RIP: 0010:make_device_exclusive+0x131/0x146",
                "  not ok 6 hmm.hmm_device_private.exclusive # kernel crash: BUG: kernel NULL pointer dereference"
                        + " in make_device_exclusive",
                "  not ok 11 upstream.hmm_tests # ERROR not run: " + RunReport.NO_RESULT,
                "ok 1 base",
                "not ok 2 patched",
                "not ok 3 patched-2 # ERROR incomplete: VM 3 did not boot: no 'init' phase within 120 s",
                "  1..0");
        assertThat(lines.get(lines.size() - 1)).startsWith("not ok 4 cut-short # ERROR incomplete: no results.json");
    }

    @Test
    void aHangIsATimeoutAndAnOopsIsACrash() {
        TestOutcome t = new TestOutcome("crashprobe.hang", hmmtest.results.TestStatus.CRASHED, 20000, "hang");
        RunReport.Crash hung = new RunReport.Crash("crashprobe.hang", 2, "HUNG_TASK", "INFO: task hung in lkdtm_HUNG_TASK",
                List.of(), true, false, "", "", List.of("INFO: task java:64 blocked for more than 20 seconds."),
                List.of(), 31.5);
        assertThat(KtapWriter.result(3, t, List.of(hung))).last()
                .isEqualTo("not ok 3 crashprobe.hang # TIMEOUT INFO: task hung in lkdtm_HUNG_TASK");
        RunReport.Crash timeout = new RunReport.Crash("crashprobe.hang", 2, "HANG",
                "hang: test exceeded the per-test timeout of 120 s", List.of(), true, false, "", "", List.of(), List.of(),
                125);
        assertThat(KtapWriter.result(3, t, List.of(timeout))).last().asString().contains("# TIMEOUT hang:");
        RunReport.Crash oops = new RunReport.Crash("crashprobe.hang", 2, "NULL_DEREF", "BUG: kernel NULL pointer"
                + " dereference in x", List.of(), true, false, "", "", List.of(), List.of(), 3);
        assertThat(KtapWriter.result(3, t, List.of(oops))).last().asString().contains("# kernel crash: BUG:");
    }

    @Test
    void theKernelsKunitParserReadsEveryRunAndEveryVerdict() throws Exception {
        RunSet set = Fixtures.withBase("base", "patched", "deadline", "cut-short");
        Path ktap = write(set);
        for (Path kunit : KunitParser.kunitDirs()) {
            checkParsed(set, KunitParser.parse(kunit, ktap));
        }
    }

    private static void checkParsed(RunSet set, JsonNode top) {

        assertThat(top.path("counts").path("errors").asInt()).as("parse errors").isZero();
        assertThat(top.path("status").asText()).isEqualTo("FAILURE");
        assertThat(names(top.path("subtests"))).containsExactly("base", "patched", "patched-2", "cut-short");
        List<String> runStatus = List.of("SUCCESS", "FAILURE", "FAILURE", "FAILURE");
        for (int i = 0; i < set.runs().size(); i++) {
            JsonNode run = top.path("subtests").get(i);
            assertThat(run.path("status").asText()).as(set.label(i)).isEqualTo(runStatus.get(i));
            assertThat(run.path("counts").path("errors").asInt()).as(set.label(i) + " parse errors").isZero();
            List<TestOutcome> outcomes = set.runs().get(i).outcomes();
            assertThat(names(run.path("subtests"))).containsExactlyElementsOf(outcomes.stream().map(TestOutcome::id)
                    .toList());
            List<String> expected = outcomes.stream().map(o -> switch (o.status()) {
                case PASS -> "SUCCESS";
                case SKIP -> "SKIPPED";
                default -> "FAILURE";
            }).toList();
            List<String> parsed = new ArrayList<>();
            run.path("subtests").forEach(t -> parsed.add(t.path("status").asText()));
            assertThat(parsed).as(set.label(i)).containsExactlyElementsOf(expected);
        }
        JsonNode base = top.path("subtests").get(0);
        assertThat(base.path("counts").path("passed").asInt()).isEqualTo(10);
        assertThat(base.path("counts").path("skipped").asInt()).isEqualTo(1);
        JsonNode skipReason = base.path("subtests").get(7).path("skip_reason");
        if (!skipReason.isNull()) { // parsers before 6.15 or so do not keep it
            assertThat(skipReason.asText()).startsWith("no device coherent memory");
        }

        JsonNode crashed = top.path("subtests").get(1).path("subtests").get(5);
        assertThat(crashed.path("name").asText()).isEqualTo("hmm.hmm_device_private.exclusive");
        assertThat(crashed.path("log").toString()).contains("kernel crash in VM 1: BUG: kernel NULL pointer")
                .contains("dmirror_fops_unlocked_ioctl+0x4b5/0x9a0 [test_hmm]");
        assertThat(top.path("subtests").get(2).path("counts").path("failed").asInt()).isEqualTo(6);
    }

    /** Console phrases that end KUnit's parse, and a "Subtest:" line, must not cut the report short. */
    @Test
    void consoleTextInDiagnosticsCannotEndOrNestTheParse(@TempDir Path dir) throws Exception {
        ObjectNode r = (ObjectNode) Json.MAPPER.readTree(Fixtures.dir("patched").resolve("results.json").toFile());
        ((ObjectNode) r.withArray("tests").get(3)).put("message", "Subtest: evil\nok 1 fake\n1..9\nKTAP version 1");
        ObjectNode between = ((ArrayNode) r.withArray("crashes")).addObject();
        between.put("vm", 2).put("title", "kernel panic: VFS").putArray("excerpt")
                .add("Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)")
                .add("List of all partitions:").add("reboot: System halted");
        Files.createDirectories(dir.resolve("run"));
        Json.MAPPER.writeValue(dir.resolve("run/results.json").toFile(), r);
        RunSet set = RunSet.of(List.of(RunReport.read(dir.resolve("run")), Fixtures.run("base")), Optional.empty());

        Path ktap = write(set);
        for (Path kunit : KunitParser.kunitDirs()) {
            JsonNode top = KunitParser.parse(kunit, ktap);
            assertThat(top.path("counts").path("errors").asInt()).isZero();
            assertThat(names(top.path("subtests"))).containsExactly("patched", "base");
            assertThat(top.path("subtests").get(0).path("subtests")).hasSize(11);
            assertThat(top.path("subtests").get(0).path("log").toString()).contains("Unable to mount root fs");
        }
    }

    /** The selftest's own TAP nests under upstream.hmm_tests, where KUnit's parser reads it as subtests. */
    @Test
    void theUpstreamSelftestsKtapNestsUnderItsTest(@TempDir Path dir) throws Exception {
        Path run = Files.createDirectories(dir.resolve("base"));
        Files.copy(Fixtures.dir("base").resolve("results.json"), run.resolve("results.json"));
        Files.write(run.resolve("upstream-hmm-tests.ktap"), List.of("TAP version 13", "1..3",
                "# Starting 3 tests from 1 test cases.", "#  RUN           hmm.hmm_device_private.open_close ...",
                "ok 1 hmm.hmm_device_private.open_close", "ok 2 hmm.hmm_device_private.anon_read",
                "ok 3 hmm.hmm_device_private.exclusive # SKIP no exclusive access",
                "# Totals: pass:2 fail:0 xfail:0 xpass:0 skip:1 error:0"));
        RunSet set = RunSet.of(List.of(RunReport.read(run)), Optional.empty());
        List<String> lines = KtapWriter.lines(set);
        int result = lines.indexOf("  ok 11 upstream.hmm_tests");
        assertThat(result).isPositive();
        assertThat(lines.subList(result - 9, result)).containsExactly("    KTAP version 1",
                "    # Subtest: upstream.hmm_tests", "    1..3", "    # Starting 3 tests from 1 test cases.",
                "    # RUN           hmm.hmm_device_private.open_close ...", "    ok 1 hmm.hmm_device_private.open_close",
                "    ok 2 hmm.hmm_device_private.anon_read",
                "    ok 3 hmm.hmm_device_private.exclusive # SKIP no exclusive access",
                "    # Totals: pass:2 fail:0 xfail:0 xpass:0 skip:1 error:0");

        Path ktap = write(set);
        for (Path kunit : KunitParser.kunitDirs()) {
            JsonNode top = KunitParser.parse(kunit, ktap);
            assertThat(top.path("counts").path("errors").asInt()).as("parse errors").isZero();
            JsonNode upstream = top.path("subtests").get(0).path("subtests").get(10);
            assertThat(upstream.path("name").asText()).isEqualTo("upstream.hmm_tests");
            assertThat(names(upstream.path("subtests"))).containsExactly("hmm.hmm_device_private.open_close",
                    "hmm.hmm_device_private.anon_read", "hmm.hmm_device_private.exclusive");
        }
    }

    private static Path write(RunSet set) throws Exception {
        Path f = Files.createTempFile("hmmtest", ".ktap");
        Files.write(f, KtapWriter.lines(set));
        f.toFile().deleteOnExit();
        return f;
    }

    private static List<String> names(JsonNode tests) {
        List<String> out = new ArrayList<>();
        tests.forEach(t -> out.add(t.path("name").asText()));
        return out;
    }
}
