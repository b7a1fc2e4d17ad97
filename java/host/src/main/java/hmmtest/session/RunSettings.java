package hmmtest.session;

import java.time.Duration;
import java.util.List;

/**
 * How to run a kernel's suite, whatever the kernel: selection, guest memory and THP mode,
 * timeouts, crash policy, accelerator, and whether VMs are restored from warm snapshots.
 * Shared by run, validate and smoke. {@code extraKernelArgs}: the hidden --kernel-arg (the
 * harness's own fault tests), empty otherwise. {@code jobs}: VMs at once (JOBS=N); {@code shard}:
 * this machine's part of the selection (SHARD=i/n), or null for all of it.
 */
public record RunSettings(String accel, String thp, String select, boolean coherent, Duration wholeRun,
        Duration perTest, boolean panicOnWarn, int memoryMb, boolean verbose, boolean strict, boolean snapshots,
        int confirmRuns, List<String> extraKernelArgs, int jobs, hmmtest.plan.Shard shard) {

    /** Reruns of each crashed or failed test in fresh VMs (pipeline/Confirmation) unless --confirm says otherwise. */
    public static final int DEFAULT_CONFIRM_RUNS = 3;

    public RunSettings {
        extraKernelArgs = List.copyOf(extraKernelArgs);
        jobs = Math.max(1, jobs);
    }

    /** Without reruns and without extra kernel arguments. */
    public RunSettings(String accel, String thp, String select, boolean coherent, Duration wholeRun,
            Duration perTest, boolean panicOnWarn, int memoryMb, boolean verbose, boolean strict, boolean snapshots) {
        this(accel, thp, select, coherent, wholeRun, perTest, panicOnWarn, memoryMb, verbose, strict, snapshots, 0,
                List.of(), 1, null);
    }

    public RunSettings withConfirmRuns(int n) {
        return new RunSettings(accel, thp, select, coherent, wholeRun, perTest, panicOnWarn, memoryMb, verbose, strict,
                snapshots, n, extraKernelArgs, jobs, shard);
    }

    public RunSettings withSelect(String s) {
        return new RunSettings(accel, thp, s, coherent, wholeRun, perTest, panicOnWarn, memoryMb, verbose, strict,
                snapshots, confirmRuns, extraKernelArgs, jobs, shard);
    }

    /** One VM at a time and the whole selection: how bisection and confirmation reruns run. */
    public RunSettings alone() {
        return new RunSettings(accel, thp, select, coherent, wholeRun, perTest, panicOnWarn, memoryMb, verbose, strict,
                snapshots, confirmRuns, extraKernelArgs, 1, null);
    }

    /** Every VM booted cold. */
    public RunSettings withoutSnapshots() {
        return new RunSettings(accel, thp, select, coherent, wholeRun, perTest, panicOnWarn, memoryMb, verbose, strict,
                false, confirmRuns, extraKernelArgs, jobs, shard);
    }
}
