package hmmtest.cli;

import hmmtest.infra.CacheDir;
import hmmtest.infra.Progress;
import hmmtest.pipeline.KernelRun;
import hmmtest.pipeline.ResultFiles;
import hmmtest.session.RunSettings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The developer's quick check: one VM, a handful of tests that touch every ioctl family the
 * series cares about (read, write, migrate, exclusive), no upstream selftest. Meant for a kernel
 * that is already built (it is built first if not, which takes minutes).
 */
@Command(name = "smoke", mixinStandardHelpOptions = true,
        description = "Boot a (cached) kernel and run a small subset of the suite: under 30 s under TCG.")
final class SmokeCommand implements Callable<Integer> {
    static final String SUBSET = "hmm.hmm_device_private.open_close,hmm.hmm_device_private.anon_read,"
            + "hmm.hmm_device_private.anon_write,hmm.hmm_device_private.migrate,hmm.hmm_device_private.exclusive";

    @Mixin
    KernelOptions kernel;

    @Mixin
    RunOptions options;

    @Option(names = "--results-dir", description = "Where to write results (default: results/<time>-smoke-<variant>).")
    Path resultsDir;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        RunSettings s = options.settings();
        if (s.select() == null) {
            s = s.withSelect(SUBSET);
        }
        Path dir = resultsDir != null ? resultsDir : RunCommand.defaultResultsDir("smoke-" + kernel.label());
        KernelRun.Result r = KernelRun.run(CacheDir.fromEnvironment(), kernel.resolve(), kernel.label(), s, dir, kernel.cleanBuild());
        Progress.always(String.format(java.util.Locale.ROOT, "smoke: %.1f s wall; results: %s",
                (System.nanoTime() - start) / 1e9, dir));
        return ResultFiles.exitCode(r.session()).code;
    }
}
