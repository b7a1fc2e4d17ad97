package hmmtest.pipeline;

import hmmtest.session.SessionResults;
import hmmtest.session.CrashRecord;
import hmmtest.session.VmRun;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import hmmtest.infra.ExitCode;
import hmmtest.kernel.KernelBuild;
import hmmtest.results.TestStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine-readable results of a session: {@code results.json} (everything) and
 * {@code crashes.json} (each crash's test, title and console excerpt), {@code agreement.json}, and
 * the exit code. Each JSON document starts with the harness header (schema, version, start time).
 */
public final class ResultFiles {
    private ResultFiles() {}

    public static void write(Path dir, String variant, KernelBuild build, String accel, SessionResults r)
            throws IOException {
        write(dir, variant, build, accel, r, null);
    }

    /** {@code shard}: which part of the selection this run was (results.json's "shard", read by merge), or null. */
    public static void write(Path dir, String variant, KernelBuild build, String accel, SessionResults r,
            hmmtest.plan.Shard.Assignment shard) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Map<String, Object> m = hmmtest.infra.Harness.header("hmmtest-results", r.startedAt());
        m.put("variant", variant);
        m.put("kernelBuild", build.dir().toString());
        m.put("kernelRelease", build.kernelRelease());
        m.put("kernelManifest", build.manifest());
        m.put("accelerator", accel);
        m.put("info", r.info());
        m.put("plan", r.plan());
        if (shard != null) {
            m.put("shard", shard);
        }
        m.put("tests", r.tests());
        List<CrashRecord> decoded = decoded(build, r.crashes());
        m.put("crashes", decoded);
        m.put("knownIssues", r.knownIssues());
        m.put("notes", r.notes());
        List<Map<String, Object>> vms = new ArrayList<>();
        for (VmRun vm : r.vms()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("index", vm.index());
            v.put("ending", vm.ending());
            v.put("seconds", vm.seconds());
            v.put("phases", vm.results().phases());
            v.put("start", vm.start());
            vms.add(v);
        }
        m.put("vms", vms);
        m.put("recoverySeconds", r.recoverySeconds());
        m.put("infrastructure", r.infrastructure());
        m.put("incomplete", r.incomplete());
        m.put("infrastructureFailure", r.infrastructureFailure());
        m.put("bootFailure", r.bootFailure());
        m.put("exitCode", exitCode(r).code);
        json.writeValue(dir.resolve("results.json").toFile(), m);
        Map<String, Object> crashes = hmmtest.infra.Harness.header("hmmtest-crashes", r.startedAt());
        crashes.put("crashes", decoded);
        json.writeValue(dir.resolve("crashes.json").toFile(), crashes);
        if (!r.upstreamLines().isEmpty()) {
            java.nio.file.Files.write(dir.resolve("upstream-hmm-tests.ktap"), r.upstreamLines());
            var rows = hmmtest.report.AgreementTable.rows(hmmtest.results.Ktap.parse(r.upstreamLines()), r.tests());
            java.nio.file.Files.writeString(dir.resolve("agreement.txt"), hmmtest.report.AgreementTable.render(rows));
            Map<String, Object> agreement = hmmtest.infra.Harness.header("hmmtest-agreement", r.startedAt());
            agreement.put("rows", rows);
            json.writeValue(dir.resolve("agreement.json").toFile(), agreement);
        }
    }

    /** The crashes with file:line after each frame of their excerpts, when the build has line tables. */
    static List<CrashRecord> decoded(KernelBuild build, List<CrashRecord> crashes) {
        if (crashes.isEmpty()) {
            return crashes;
        }
        var decoder = hmmtest.kernel.FrameDecoder.of(build);
        if (decoder.isEmpty()) {
            return crashes;
        }
        List<CrashRecord> out = new ArrayList<>();
        for (CrashRecord c : crashes) {
            out.add(new CrashRecord(c.test(), c.vm(), c.kind(), c.title(), c.altTitles(), c.fatal(), c.corrupted(),
                    c.taint(), c.callerId(), decoder.get().decode(c.excerpt()), c.taskDump(), c.secondsIntoVm()));
        }
        return out;
    }

    /**
     * A crash outranks a failure; an unfinished session outranks a clean one. A kernel that never
     * reached the guest harness is a boot failure (4), even when it panicked doing so, unless a
     * test had crashed the kernel before (in an earlier VM).
     */
    public static ExitCode exitCode(SessionResults r) {
        if (r.count(TestStatus.CRASHED) > 0 || r.crashes().stream().anyMatch(c -> c.test() != null)) {
            return ExitCode.KERNEL_CRASH;
        }
        if (r.bootFailure() != null) {
            return ExitCode.INCOMPLETE;
        }
        if (!r.crashes().isEmpty()) {
            return ExitCode.KERNEL_CRASH;
        }
        if (r.incomplete() != null || r.count(TestStatus.NOT_RUN) > 0 || r.tests().isEmpty()) {
            return ExitCode.INCOMPLETE;
        }
        if (r.count(TestStatus.FAIL) + r.count(TestStatus.ERROR) > 0) {
            return ExitCode.TESTS_FAILED;
        }
        return ExitCode.OK;
    }
}
