package hmmtest.cli;

import hmmtest.infra.Progress;
import hmmtest.session.RunSettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options shared by every command that boots kernels and runs the suite. */
public final class RunOptions {
    @Option(names = "--accel", defaultValue = "${env:ACCEL:-auto}",
            description = "auto (probe KVM, fall back to TCG), kvm or tcg (default: ${DEFAULT-VALUE}).")
    String accel;

    /**
     * madvise by default: tests that want THP ask for it (MADV_HUGEPAGE), so verdicts do not depend
     * on where an mmap happens to land; always reproduces upstream's THP-always behaviour.
     */
    @Option(names = "--thp", defaultValue = "${env:THP:-madvise}",
            description = "Transparent hugepage mode for the guest: always, madvise or never (default: ${DEFAULT-VALUE}).")
    String thp;

    @Option(names = "--select", paramLabel = "GLOB[,GLOB...]",
            description = "Run only tests whose id matches, e.g. 'hmm.*.exclusive*'.")
    String select;

    @Option(names = "--coherent", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Reserve special-purpose memory so the coherent devices hmm_dmirror2/3 exist (default: on).")
    boolean coherent;

    @Option(names = "--timeout", defaultValue = "900", description = "Whole-run deadline per kernel in seconds (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--test-timeout", defaultValue = "0",
            description = "Per-test timeout in seconds (default: 120 under TCG, 20 under KVM).")
    int testTimeoutSeconds;

    @Option(names = "--panic-on-warn", description = "Boot with panic_on_warn=1: a WARNING panics the guest.")
    boolean panicOnWarn;

    @Option(names = "--memory", defaultValue = "2048", description = "Guest RAM in MiB (default: ${DEFAULT-VALUE}).")
    int memoryMb;

    @Option(names = "--strict", description = "Treat the reports listed in known-issues.txt as crashes too.")
    boolean strict;

    @Option(names = "--no-snapshot", description = "Boot every VM cold instead of restoring a warm snapshot of the booted guest.")
    boolean noSnapshot;

    @Option(names = "--confirm", paramLabel = "N", description = "Rerun each crashed or failed test alone in N fresh"
            + " VMs and label it (reproducible k/N, flaky k/N, not reproduced; validate: also on base / patched only)."
            + " 0: no reruns. Default: ${DEFAULT-VALUE}.")
    int confirmRuns = RunSettings.DEFAULT_CONFIRM_RUNS;

    /**
     * Hidden: an extra argument for the guest kernel's command line (repeatable). For the
     * harness's own fault tests (e.g. {@code init=/nonexistent}: a kernel that panics before the
     * guest harness starts); it is part of the machine, so a warm snapshot is never shared with
     * runs without it.
     */
    @Option(names = "--kernel-arg", hidden = true, paramLabel = "ARG")
    java.util.List<String> kernelArgs = new java.util.ArrayList<>();

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "1",
            description = "VMs at once, pulling tests from one queue; results in plan order (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--shard", paramLabel = "I/N", description = "Run only shard I of N of the selection (a"
            + " deterministic split balanced by test-durations.tsv; fuzz: seed + I - 1); `hmmtest merge` joins the shards.")
    String shard;

    @Option(names = {"-v", "--verbose"}, description = "Echo the kernel console.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "Only test lines and the summary.")
    boolean quiet;

    static final java.util.List<String> THP_MODES = java.util.List.of("always", "madvise", "never");
    static final java.util.List<String> ACCELERATORS = java.util.List.of("auto", "kvm", "tcg");

    /** Refuses an accelerator the harness does not know, naming the ones it does. */
    static void checkAccel(String accel) {
        if (!ACCELERATORS.contains(accel)) {
            throw new IllegalArgumentException("--accel must be one of " + String.join(", ", ACCELERATORS) + " (got '"
                    + accel + "')");
        }
    }

    /**
     * A selection must name at least one test of the guest jar's catalog: a typo would otherwise
     * build and boot a kernel to run nothing. The message lists the groups there are.
     */
    static void checkSelection(String select) {
        java.util.List<String> globs = hmmtest.protocol.TestSelection.globs(select);
        java.nio.file.Path guestJar = hmmtest.infra.Project.root().resolve("java/guest/target/hmmtest-guest.jar");
        java.util.List<String> catalog = java.nio.file.Files.isRegularFile(guestJar)
                ? hmmtest.protocol.TestSelection.catalog(guestJar) : java.util.List.of();
        if (globs.isEmpty() || catalog.isEmpty()) {
            return; // the whole suite; or no guest jar (yet) or one without its catalog: the guest decides
        }
        if (hmmtest.protocol.TestSelection.selected(catalog, globs, java.util.List.of()).isEmpty()) {
            java.util.Set<String> groups = new java.util.TreeSet<>();
            catalog.forEach(id -> groups.add(id.contains(".") ? id.substring(0, id.lastIndexOf('.')) + ".*" : id));
            throw new IllegalArgumentException("--select '" + select + "' matches none of the " + catalog.size()
                    + " tests (ids look like " + catalog.get(0) + "; '*' spans dots). Groups: " + String.join(", ", groups));
        }
    }

    /** The smallest guest the suite can run in without the coherent devices, and with them. */
    static final int MIN_MEMORY_MB = 512;
    static final int MIN_MEMORY_COHERENT_MB = 1024;

    /**
     * The guest holds the uncompressed image twice while it unpacks it (85 MiB each) and then the
     * JVM: with 256 MiB the unpacking ran out of room and the JVM died of SIGBUS on a truncated
     * file. The coherent devices take the top 512 MiB on top of that (below 1 GiB their memmap=
     * range wrapped below zero and the kernel printed nothing at all).
     */
    static void checkMemory(int memoryMb, boolean coherent) {
        int min = coherent ? MIN_MEMORY_COHERENT_MB : MIN_MEMORY_MB;
        if (memoryMb < min) {
            throw new IllegalArgumentException("--memory must be at least " + min + " MiB"
                    + (coherent ? " with the coherent devices (they take the top 512 MiB; --no-coherent allows "
                            + MIN_MEMORY_MB + ")" : " (the guest unpacks its image into memory and runs a JVM)")
                    + " (got " + memoryMb + ")");
        }
    }

    /** Host memory each QEMU takes beyond the guest's RAM (its own code, TCG's translation cache). */
    static final int QEMU_OVERHEAD_MB = 512;

    /**
     * N VMs need N guests' memory at once: more than the host has available would end in its OOM
     * killer taking a QEMU mid-run (an infrastructure failure), so it is refused before anything starts.
     */
    static void checkJobs(int jobs, int memoryMb) {
        if (jobs < 1 || jobs > 64) {
            throw new IllegalArgumentException("--jobs must be between 1 and 64 (got " + jobs + ")");
        }
        long availableMb = hmmtest.infra.HostMemory.availableMb();
        long needMb = (long) jobs * (memoryMb + QEMU_OVERHEAD_MB);
        if (jobs > 1 && availableMb > 0 && needMb > availableMb) {
            throw new IllegalArgumentException("--jobs " + jobs + " needs about " + needMb + " MiB (" + memoryMb
                    + " MiB guest + " + QEMU_OVERHEAD_MB + " MiB QEMU each) but the host has " + availableMb
                    + " MiB available; use fewer jobs or --memory");
        }
    }

    /** This machine's shard, or null (checked like every option). */
    hmmtest.plan.Shard shard() {
        return shard == null ? null : hmmtest.plan.Shard.parse(shard);
    }

    /** Checked before anything is built or booted: every choice named when one is wrong. */
    RunSettings settings() {
        checkAccel(accel);
        if (!THP_MODES.contains(thp)) {
            throw new IllegalArgumentException("--thp must be one of " + String.join(", ", THP_MODES) + " (got '" + thp + "')");
        }
        if (timeoutSeconds <= 0 || testTimeoutSeconds < 0) {
            throw new IllegalArgumentException("--timeout must be positive, --test-timeout zero (the default) or positive"
                    + " (got " + timeoutSeconds + ", " + testTimeoutSeconds + ")");
        }
        checkMemory(memoryMb, coherent);
        checkSelection(select);
        Progress.setQuiet(quiet);
        if (confirmRuns < 0) {
            throw new IllegalArgumentException("--confirm must be 0 (no reruns) or a positive number of reruns (got "
                    + confirmRuns + ")");
        }
        checkJobs(jobs, memoryMb);
        return new RunSettings(accel, thp, select, coherent, Duration.ofSeconds(timeoutSeconds),
                testTimeoutSeconds > 0 ? Duration.ofSeconds(testTimeoutSeconds) : null, panicOnWarn, memoryMb, verbose, strict,
                !noSnapshot, confirmRuns, kernelArgs, jobs, shard == null ? null : hmmtest.plan.Shard.parse(shard));
    }
}
