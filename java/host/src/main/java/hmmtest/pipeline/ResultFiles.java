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
 * {@code crashes.json} (each crash's test, title and console excerpt), and the exit code.
 */
public final class ResultFiles {
    private ResultFiles() {}

    public static void write(Path dir, String variant, KernelBuild build, String accel, SessionResults r)
            throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Map<String, Object> m = hmmtest.infra.Harness.header("hmmtest-results", r.startedAt());
        m.put("variant", variant);
        m.put("kernelBuild", build.dir().toString());
        m.put("kernelRelease", build.kernelRelease());
        m.put("kernelManifest", build.manifest());
        m.put("accelerator", accel);
        m.put("info", r.info());
        m.put("plan", r.plan());
        m.put("tests", r.tests());
        m.put("crashes", r.crashes());
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
        m.put("incomplete", r.incomplete());
        m.put("infrastructureFailure", r.infrastructureFailure());
        m.put("bootFailure", r.bootFailure());
        m.put("exitCode", exitCode(r).code);
        json.writeValue(dir.resolve("results.json").toFile(), m);
        json.writeValue(dir.resolve("crashes.json").toFile(), r.crashes());
        if (!r.upstreamLines().isEmpty()) {
            java.nio.file.Files.write(dir.resolve("upstream-hmm-tests.ktap"), r.upstreamLines());
            var rows = hmmtest.report.AgreementTable.rows(hmmtest.results.Ktap.parse(r.upstreamLines()), r.tests());
            java.nio.file.Files.writeString(dir.resolve("agreement.txt"), hmmtest.report.AgreementTable.render(rows));
            json.writeValue(dir.resolve("agreement.json").toFile(), rows);
        }
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
