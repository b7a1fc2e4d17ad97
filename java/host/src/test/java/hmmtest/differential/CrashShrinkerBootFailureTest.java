package hmmtest.differential;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.model.Action;
import hmmtest.session.GuestVm;
import hmmtest.uapi.AbiVersion;
import hmmtest.vm.VmLauncher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash shrinking over VMs whose kernel never comes up: the first candidate that never reached
 * the guest harness ends the shrinking (no loop of boots that replay nothing), and the list it
 * started from stands.
 */
class CrashShrinkerBootFailureTest {

    @Test
    void aCandidateThatNeverBootsStopsTheShrinking(@TempDir Path dir) {
        List<Action> crashing = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            crashing.add(Action.parse(new Action.Mmap(i, 8, hmmtest.model.Prot.RW, hmmtest.model.MapKind.ANON_PRIVATE,
                    false, -1).toText()));
        }
        crashing.add(Action.parse(new Action.Open(2, 0).toText()));
        crashing.add(Action.parse("ioctl fd=2 cmd=EXCLUSIVE map=7 page=3 npages=1"));
        List<Integer> replayed = new ArrayList<>();
        CrashShrinker shrinker = new CrashShrinker(AbiVersion.V7_3, (candidate, d) -> {
            replayed.add(candidate.size());
            return new GuestVm.Result(List.of(), List.of(), false, 3.0, d.resolve("console.log"),
                    new VmLauncher.Start(VmLauncher.Start.BOOTED, null, null, null, null, null), false,
                    "QEMU exited (0)", List.of("Kernel panic - not syncing: Requested init /nonexistent failed (error -2)."),
                    null);
        }, dir);

        List<Action> minimal = shrinker.shrink(crashing, "BUG: kernel NULL pointer dereference in make_device_exclusive",
                100, Duration.ofMinutes(10));

        assertThat(replayed).as("candidate VMs started").hasSize(1);
        assertThat(shrinker.boots()).isEqualTo(1);
        assertThat(minimal).isEqualTo(crashing);
        assertThat(shrinker.summary()).contains("never reached the guest harness");
    }
}
