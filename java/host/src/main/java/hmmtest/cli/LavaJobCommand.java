package hmmtest.cli;

import hmmtest.infra.CacheDir;
import hmmtest.infra.Progress;
import hmmtest.lava.LavaJob;
import hmmtest.pipeline.KernelRun;
import hmmtest.session.RunSettings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "lava-job", mixinStandardHelpOptions = true,
        description = "Write a LAVA job (qemu device type, no KVM) that boots the kernel and guest image `run` would"
                + " boot and reports each test to LAVA; plus the device for a local lava-run.")
final class LavaJobCommand implements Callable<Integer> {
    @Mixin
    KernelOptions kernel;

    @Mixin
    RunOptions options;

    @Option(names = "--job-dir", description = "Where to write the job (default: results/<time>-lava-<variant>).")
    Path jobDir;

    @Override
    public Integer call() throws Exception {
        LavaJob.Written w = write(kernel, options, jobDir);
        Progress.always("LAVA job: " + w.job() + "\nrun it on this machine (as root): " + String.join(" ", w.lavaRun("1"))
                + " 2> " + w.output().resolve(LavaJob.LOG) + "\nthen: hmmtest lava-results " + w.output()
                + "\n(or all three: make lava-run)");
        return 0;
    }

    /** Checks the options, builds (or finds) the kernel and image, writes the job. */
    static LavaJob.Written write(KernelOptions kernel, RunOptions options, Path jobDir) throws java.io.IOException {
        RunSettings s = options.settings();
        Path dir = jobDir != null ? jobDir : RunCommand.defaultResultsDir("lava-" + kernel.label());
        LavaJob.check(s, dir); // before the build
        KernelRun.Bootable b = KernelRun.prepare(CacheDir.fromEnvironment(), kernel.resolve(), "tcg", kernel.cleanBuild());
        return LavaJob.write(dir, b, kernel.label(), s);
    }
}
