package hmmtest.lava;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hmmtest.console.KnownIssues;
import hmmtest.infra.Progress;
import hmmtest.kernel.KernelBuild;
import hmmtest.pipeline.ConsoleSummary;
import hmmtest.pipeline.ResultFiles;
import hmmtest.results.TestOutcome;
import hmmtest.session.SessionResults;
import hmmtest.session.SuiteSession;
import hmmtest.session.Timeouts;
import hmmtest.vm.Accelerator;
import hmmtest.vm.Machine;
import hmmtest.vm.VmLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished LAVA job turned into our results directory: its console and the guest's records go
 * through the same session a live run uses (one recorded VM; {@link RecordedVm}), then the same
 * results.json and reports. LAVA's own verdicts (its test cases) are kept beside ours in
 * results.json ("lava") and compared: a disagreement is said.
 */
public final class LavaResults {
    private LavaResults() {}

    /** What came out: the session as judged here, LAVA's test cases, and where they differ. */
    public record Result(SessionResults session, LavaOutput output, List<String> disagreements) {}

    public static Result write(LavaOutput out, Path resultsDir) throws IOException {
        Map<String, Object> facts = LavaJob.readFacts(out.dir());
        String label = String.valueOf(facts.get("variant"));
        KernelBuild build = new KernelBuild(out.dir().resolve(LavaJob.KERNEL));
        Files.createDirectories(resultsDir);
        Accelerator.Choice tcg = new Accelerator.Choice("tcg", "a LAVA job (context no_kvm)");
        Timeouts t = Timeouts.defaults(false, Duration.ofSeconds(((Number) facts.get("wholeRunSeconds")).longValue()));
        if (facts.get("perTestSeconds") instanceof Number n) {
            t = t.withPerTest(Duration.ofSeconds(n.longValue()));
        }
        Machine machine = new Machine(out.dir().resolve("bzImage"), out.dir().resolve("initrd"), tcg,
                ((Number) facts.get("memoryMb")).intValue(), List.of(), null);
        KnownIssues known = Boolean.TRUE.equals(facts.get("strict")) ? KnownIssues.none()
                : KnownIssues.read(hmmtest.infra.Project.root().resolve("known-issues.txt"));
        String jobVerdict = String.valueOf(out.job().get("result"));
        SuiteSession.VmSource replay = new SuiteSession.VmSource() {
            @Override
            public VmLauncher.Launched launch(hmmtest.protocol.WorkOrder order, Path dir, hmmtest.vm.Vm.Listener listener,
                    Duration bootTimeout, java.util.function.BooleanSupplier abort) throws IOException {
                Files.createDirectories(dir);
                List<String> lines = new ArrayList<>();
                out.console().forEach(l -> lines.add(l.text()));
                Files.write(dir.resolve("console.log"), lines);
                Files.write(dir.resolve("results.log"), out.records());
                return new VmLauncher.Launched(new RecordedVm(out.console(), out.records()),
                        new VmLauncher.Start(VmLauncher.Start.BOOTED, null, "LAVA job, " + jobVerdict, null, null, null), null);
            }

            @Override
            public String noFurtherVm() {
                return "a LAVA job is one VM: the tests after the end of its VM did not run (LAVA job: " + jobVerdict
                        + errorOf(out) + ")";
            }
        };
        SuiteSession.Config config = new SuiteSession.Config(machine, (String) facts.get("select"), t, resultsDir, false,
                known, replay, Duration.ZERO);
        SessionResults session = new SuiteSession(config).run();
        Progress.always(ConsoleSummary.summary(session, tcg.name()));
        ResultFiles.write(resultsDir, label, build, tcg.name(), session);
        List<String> disagreements = disagreements(session.tests(), out.cases());
        addLava(resultsDir.resolve("results.json"), out, facts, disagreements);
        return new Result(session, out, disagreements);
    }

    private static String errorOf(LavaOutput out) {
        Object e = out.job().get("error");
        return e == null ? "" : ", " + out.job().get("errorType") + ": " + e;
    }

    /**
     * Where LAVA's verdict on a test differs from ours: a test LAVA has no case for although the
     * guest finished it, a case for a test we did not see end, another result. A test that never
     * ended (crashed, not run) has no LAVA case, and agrees.
     */
    static List<String> disagreements(List<TestOutcome> ours, List<LavaOutput.Case> lava) {
        Map<String, String> byTest = new LinkedHashMap<>();
        lava.forEach(c -> byTest.put(c.test(), c.result()));
        List<String> out = new ArrayList<>();
        for (TestOutcome o : ours) {
            String expected = LavaJob.LAVA_RESULT.get(o.status().name());
            String got = byTest.remove(o.id());
            if (expected == null ? got != null : !expected.equals(got)) {
                out.add(o.id() + ": ours " + o.status() + ", LAVA " + (got == null ? "no test case" : got));
            }
        }
        byTest.forEach((id, r) -> out.add(id + ": LAVA " + r + ", not a test of ours"));
        return out;
    }

    /** results.json's "lava": the job's verdict, its wall time as LAVA logged it, its test cases and the comparison. */
    private static void addLava(Path resultsJson, LavaOutput out, Map<String, Object> facts, List<String> disagreements)
            throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = (ObjectNode) json.readTree(resultsJson.toFile());
        root.put("kernelBuild", String.valueOf(facts.get("kernelBuild"))); // the cache entry the job's kernel came from
        // The replay took no time: the VM's host times are the job's, from LAVA's log (QEMU's start, console lines).
        for (var vm : root.path("vms")) {
            if (out.vmSeconds() != null) {
                ((ObjectNode) vm).put("seconds", out.vmSeconds());
            }
            for (var phase : vm.path("phases")) {
                Double host = out.hostSecondsAt(phase.path("guestSeconds").asDouble());
                if (host != null) {
                    ((ObjectNode) phase).put("hostSeconds", host);
                }
            }
        }
        ObjectNode lava = root.putObject("lava");
        lava.put("outputDir", out.dir().toString());
        lava.set("job", json.valueToTree(out.job()));
        lava.put("wallSeconds", out.wallTime().toMillis() / 1000.0);
        ArrayNode cases = lava.putArray("cases");
        out.cases().forEach(c -> cases.addObject().put("test", c.test()).put("result", c.result()));
        ArrayNode dis = lava.putArray("disagreements");
        disagreements.forEach(dis::add);
        Path tmp = resultsJson.resolveSibling(resultsJson.getFileName() + ".tmp");
        json.writeValue(tmp.toFile(), root);
        Files.move(tmp, resultsJson, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
