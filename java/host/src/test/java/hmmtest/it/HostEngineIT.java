package hmmtest.it;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.console.KnownIssues;
import hmmtest.differential.DifferentialRun;
import hmmtest.differential.FuzzDigest;
import hmmtest.infra.CacheDir;
import hmmtest.kernel.KernelSpec;
import hmmtest.pipeline.KernelRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The host engine (the model here, the C executor in the guest) finds what the guest's engine
 * finds: on one seed both perform the same actions in the same order (the trace hash of every
 * action written ahead) and reach the same verdict. The host engine's VM boots cold, so the
 * control port is connected without a work order on it.
 */
class HostEngineIT {
    @Test
    void theHostEngineGivesTheGuestEnginesActionsAndVerdicts() throws Exception {
        CacheDir cache = CacheDir.fromEnvironment();
        KernelRun.Bootable boot = KernelRun.prepare(cache, KernelSpec.variant("merged", null), "auto");
        KnownIssues known = KnownIssues.read(Path.of(System.getProperty("hmmtest.home", "."), "known-issues.txt"));
        Path guestDir = Path.of("target/it-results/engine-guest").toAbsolutePath();
        Path hostDir = Path.of("target/it-results/engine-host").toAbsolutePath();
        DifferentialRun.Result guest = new DifferentialRun(KernelRun.differentialMachine(cache, boot, true), guestDir,
                known).run(settings(DifferentialRun.Engine.GUEST));
        DifferentialRun.Result host = new DifferentialRun(KernelRun.differentialMachine(cache, boot, false), hostDir,
                known).run(settings(DifferentialRun.Engine.HOST));

        assertThat(host.actions()).isEqualTo(guest.actions()).isEqualTo(3000);
        assertThat(host.exitCode()).isEqualTo(guest.exitCode());
        assertThat(host.crashTitle()).isNull();
        assertThat(FuzzDigest.of(hostDir).verdict()).isEqualTo(FuzzDigest.of(guestDir).verdict()).contains("trace ");
        assertThat(Processes.qemuChildren()).isEmpty();
    }

    private static DifferentialRun.Settings settings(DifferentialRun.Engine engine) {
        return new DifferentialRun.Settings(1, 3000L, null, false, 4, DifferentialRun.Settings.SHRINK_TIME, "engine IT",
                null, null, false, engine);
    }
}
