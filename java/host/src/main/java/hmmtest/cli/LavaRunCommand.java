package hmmtest.cli;

import hmmtest.infra.Progress;
import hmmtest.lava.LavaJob;
import hmmtest.lava.LavaOutput;
import hmmtest.lava.LavaRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "lava-run", mixinStandardHelpOptions = true,
        description = "lava-job, then the job under Debian's lava-run on this machine (root, no LAVA server), then"
                + " lava-results: the run's reports from a LAVA job.")
final class LavaRunCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    KernelOptions kernel;

    @Mixin
    RunOptions options;

    @Option(names = "--job-dir", description = "Where to write the job and its results (default: results/<time>-lava-<variant>).")
    Path jobDir;

    @Option(names = "--job-id", defaultValue = "1", description = "lava-run's job id (names its process; default: ${DEFAULT-VALUE}).")
    String jobId;

    @Override
    public Integer call() throws Exception {
        LavaRun.checkAvailable(); // before the build
        LavaJob.Written w = LavaJobCommand.write(kernel, options, jobDir);
        Progress.always("[lava] job " + w.job());
        LavaRun.run(w, jobId);
        return LavaResultsCommand.report(LavaOutput.read(w.output()), w.dir(),
                hmmtest.infra.Project.cliCommand(spec.commandLine().getParseResult().originalArgs()));
    }
}
