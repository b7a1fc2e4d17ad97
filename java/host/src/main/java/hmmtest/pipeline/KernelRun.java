package hmmtest.pipeline;

import hmmtest.session.RunSettings;
import hmmtest.session.SessionResults;
import hmmtest.session.SuiteSession;
import hmmtest.session.Timeouts;
import hmmtest.session.CrashRecord;

import hmmtest.console.KnownIssues;

import hmmtest.image.GuestImage;
import hmmtest.infra.CacheDir;
import hmmtest.infra.Progress;
import hmmtest.kernel.KernelBuild;
import hmmtest.kernel.KernelBuilder;
import hmmtest.kernel.KernelSpec;
import hmmtest.vm.Accelerator;
import hmmtest.vm.CoherentMemory;
import hmmtest.vm.Machine;
import hmmtest.vm.WarmSnapshots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One kernel, end to end: build (or find) it and its image, run the session, write the results. */
public final class KernelRun {
    private KernelRun() {}

    /** A kernel ready to boot: its build, its guest image and the accelerator to run it with. */
    public record Bootable(KernelBuild build, Path initrd, Accelerator.Choice accel) {}

    /** Builds (or finds) the kernel and its image and chooses the accelerator: every command that boots starts here. */
    public static Bootable prepare(CacheDir cache, KernelSpec spec, String accel) {
        return prepare(cache, spec, accel, false);
    }

    /** {@code cleanBuild}: a cold build from an empty build directory (--clean-build). */
    public static Bootable prepare(CacheDir cache, KernelSpec spec, String accel, boolean cleanBuild) {
        KernelBuild build = new KernelBuilder(cache, cleanBuild).build(spec);
        Path initrd = new GuestImage(cache).build(build);
        return new Bootable(build, initrd, Accelerator.choose(cache, build.bzImage(), accel));
    }

    /** What a finished run left behind. */
    /** {@code config}: how its VMs were started, so that its crashes can be rerun on the same kernel. */
    public record Result(KernelBuild build, SessionResults session, Path dir, SuiteSession.Config config,
            List<Confirmation.Count> confirmed) {}

    public static Result run(CacheDir cache, KernelSpec spec, String label, RunSettings s, Path dir) throws IOException {
        return run(cache, spec, label, s, dir, false);
    }

    public static Result run(CacheDir cache, KernelSpec spec, String label, RunSettings s, Path dir, boolean cleanBuild)
            throws IOException {
        Distribution plan = Distribution.of(s); // a shard without tests is refused before the build
        Bootable b = prepare(cache, spec, s.accel(), cleanBuild);
        KernelBuild build = b.build();
        Path initrd = b.initrd();
        Accelerator.Choice acc = b.accel();
        Progress.info("vm", "accelerator: " + acc.name() + " (" + acc.reason() + ")");
        Files.createDirectories(dir);
        Timeouts timeouts = Timeouts.defaults(acc.kvm(), s.wholeRun());
        if (s.perTest() != null) {
            timeouts = timeouts.withPerTest(s.perTest());
        }
        // Coverage VMs boot cold: a warm snapshot's guest has run its warm-up, and its counts with it.
        boolean coverage = hmmtest.coverage.CoverageReport.wanted(spec.profiles());
        Machine machine = new Machine(build.bzImage(), initrd, acc, s.memoryMb(), kernelArgs(s),
                s.snapshots() && !coverage ? new WarmSnapshots(cache) : null);
        SuiteSession.Config config = new SuiteSession.Config(machine, s.select(), timeouts, dir, s.verbose(),
                s.strict() ? KnownIssues.none() : KnownIssues.read(hmmtest.infra.Project.root().resolve("known-issues.txt")));
        Progress.info("vm", "kernel " + build.kernelRelease() + " (" + label + "), timeouts: boot "
                + timeouts.boot().toSeconds() + " s, per test " + timeouts.perTest().toSeconds() + " s, run "
                + timeouts.wholeRun().toSeconds() + " s");
        SessionResults results = plan.run(config);
        Progress.always(ConsoleSummary.summary(results, acc.name()));
        ResultFiles.write(dir, label, build, acc.name(), results, plan.assignment());
        List<Confirmation.Count> confirmed = Confirmation.confirmAll(config, results, s.confirmRuns(), dir);
        Confirmation.addToResults(dir.resolve("results.json"), confirmed, false);
        if (coverage) {
            hmmtest.coverage.CoverageReport.write(build, hmmtest.coverage.CoverageReport.vmDirs(dir), dir);
        }
        if (Files.exists(dir.resolve("agreement.txt"))) {
            Progress.always(Files.readString(dir.resolve("agreement.txt")).stripTrailing());
        }
        return new Result(build, results, dir, config, confirmed);
    }

    /**
     * The machine of the differential run, its crash shrinking and the C reproducer check: the
     * suite's default command line (so `run` and `fuzz` share one warm snapshot).
     */
    public static Machine differentialMachine(CacheDir cache, Bootable b, boolean snapshots) {
        return differentialMachine(cache, b, snapshots, List.of());
    }

    /** The same with extra kernel arguments (the hidden --kernel-arg of the fault tests). */
    public static Machine differentialMachine(CacheDir cache, Bootable b, boolean snapshots, List<String> extraArgs) {
        return differentialMachine(cache, b, snapshots, extraArgs, true);
    }

    /** The same, with or without the coherent devices hmm_dmirror2/3 (their reserved memory). */
    public static Machine differentialMachine(CacheDir cache, Bootable b, boolean snapshots, List<String> extraArgs,
                                              boolean coherent) {
        RunSettings defaults = new RunSettings("auto", "madvise", null, coherent, java.time.Duration.ofMinutes(15), null,
                false, 2048, false, false, snapshots, 0, extraArgs, 1, null);
        return new Machine(b.build().bzImage(), b.initrd(), b.accel(), defaults.memoryMb(), kernelArgs(defaults),
                snapshots ? new WarmSnapshots(cache) : null);
    }

    /** The guest's kernel command line, without the session's own parts (a LAVA job boots with it too). */
    public static List<String> kernelArgs(RunSettings s) {
        // panic=-1 + QEMU's -no-reboot: a panic ends QEMU at once. A hung task is reported after 20 s.
        // printk.devkmsg=on: the guest's test markers in /dev/kmsg are not rate-limited (by default
        // a writer gets 10 lines per 5 s, and a warm guest starts more tests than that: a crash
        // then looked as if it came between tests).
        List<String> args = new ArrayList<>(List.of("console=ttyS0", "panic=-1", "oops=panic",
                "sysctl.kernel.hung_task_timeout_secs=20", "printk.devkmsg=on"));
        if (s.panicOnWarn()) {
            args.add("panic_on_warn=1");
        }
        if (s.coherent()) {
            args.addAll(CoherentMemory.kernelArgs(s.memoryMb()));
        }
        if (s.thp() != null) {
            args.add("transparent_hugepage=" + s.thp());
        }
        args.addAll(s.extraKernelArgs());
        return args;
    }
}
