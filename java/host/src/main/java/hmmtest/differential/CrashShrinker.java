package hmmtest.differential;

import hmmtest.console.CrashReport;
import hmmtest.infra.Progress;
import hmmtest.uapi.AbiVersion;
import hmmtest.model.Action;
import hmmtest.model.gen.Shrinker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Shrinks an action list that crashes the kernel, from the host: each candidate is replayed in a
 * fresh VM, and it "still fails" when that VM dies with the same crash title. The budget counts
 * VMs (a restore from a warm snapshot takes seconds, a cold boot about 15 s under TCG); candidates
 * the model finds invalid cost no VM.
 */
final class CrashShrinker {
    /** Starts one replay VM (restored from a warm snapshot, or booted) and returns what it left. */
    interface Replayer {
        hmmtest.session.GuestVm.Result replay(List<Action> actions, Path dir) throws IOException;
    }

    private final AbiVersion abi;
    private final Replayer replayer;
    private final Path dir;
    private int boots;
    /** Why a candidate's kernel never reached the harness; shrinking stops at the first such VM. */
    private String bootFailure;
    private int restores;
    private long startNanos;
    private boolean outOfTime;

    CrashShrinker(AbiVersion abi, Replayer replayer, Path dir) {
        this.abi = abi;
        this.replayer = replayer;
        this.dir = dir;
    }

    int boots() {
        return boots;
    }

    int restores() {
        return restores;
    }

    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** "37 VMs (37 restored) in 61 s", and why it stopped early if it did. */
    String summary() {
        return String.format(java.util.Locale.ROOT, "%d VM(s) (%d restored from the warm snapshot) in %.0f s%s", boots,
                restores, seconds(), outOfTime ? ", stopped at its time limit"
                : bootFailure != null ? ", stopped: a candidate's kernel never reached the guest harness (" + bootFailure + ")"
                : "");
    }

    /**
     * The shortest list found that still crashes with this title, within {@code budgetBoots} VMs
     * and {@code budgetTime} of wall time (a hang costs its detector's timeout per candidate).
     */
    List<Action> shrink(List<Action> crashing, String title, int budgetBoots, java.time.Duration budgetTime) {
        startNanos = System.nanoTime();
        long deadline = startNanos + budgetTime.toNanos();
        java.util.function.Predicate<List<Action>> stillFails = candidate -> {
            if (System.nanoTime() > deadline) {
                outOfTime = true;
                return false; // no VM: the best list so far stands
            }
            if (bootFailure != null) {
                return false; // the kernel stopped booting: no more VMs, the best list so far stands
            }
            boots++;
            try {
                hmmtest.session.GuestVm.Result vm = replayer.replay(candidate, dir.resolve("shrink-" + boots));
                if (vm.start().how().equals(hmmtest.vm.VmLauncher.Start.RESTORED)) {
                    restores++;
                }
                if (vm.bootFailure() != null) {
                    // A candidate whose kernel never reached the harness replayed nothing: it says
                    // nothing about the list, and the next boot would most likely fail the same way.
                    bootFailure = vm.bootFailure();
                    Progress.always("[shrink] VM " + boots + ": the kernel never reached the guest harness ("
                            + bootFailure + "); shrinking stops here, the best list so far stands");
                    return false;
                }
                CrashReport r = vm.firstReport();
                boolean same = r != null && r.title().equals(title);
                Progress.info("shrink", String.format(java.util.Locale.ROOT, "VM %d (%s, %.1f s): %d actions -> %s%s",
                        boots, vm.start().how(), vm.seconds(), candidate.size(), r == null ? "no crash" : r.title(),
                        same ? " (still fails)" : ""));
                return same;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        // First the cheap guesses (one boot each), smallest first.
        for (List<Action> guess : List.of(Slices.core(crashing), Slices.causal(crashing), Slices.touching(crashing))) {
            if (guess.size() < crashing.size() && boots < budgetBoots && stillFails.test(guess)) {
                crashing = guess;
                break;
            }
        }
        // A short list: drop one action at a time (keeping the crashing one), one boot each.
        if (crashing.size() <= 12) {
            for (int i = crashing.size() - 2; i >= 0 && boots < budgetBoots; i--) {
                List<Action> without = new java.util.ArrayList<>(crashing);
                without.remove(i);
                if (stillFails.test(without)) {
                    crashing = without;
                }
            }
            return crashing;
        }
        return new Shrinker(abi).shrink(crashing, stillFails, Math.max(0, budgetBoots - boots));
    }

    static Map<String, byte[]> replayFiles(List<Action> actions) {
        StringBuilder text = new StringBuilder();
        actions.forEach(a -> text.append(a.toText()).append('\n'));
        return Map.of("etc/hmmtest/replay.actions", text.toString().getBytes(StandardCharsets.UTF_8),
                "etc/hmmtest/fuzz.args", "--replay\n/etc/hmmtest/replay.actions\n".getBytes(StandardCharsets.UTF_8));
    }

}
