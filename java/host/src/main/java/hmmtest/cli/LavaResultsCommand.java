package hmmtest.cli;

import hmmtest.infra.ExitCode;
import hmmtest.infra.Progress;
import hmmtest.lava.LavaJob;
import hmmtest.lava.LavaOutput;
import hmmtest.lava.LavaResults;
import hmmtest.pipeline.ResultFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "lava-results", mixinStandardHelpOptions = true,
        description = "Turn a finished LAVA job of `hmmtest lava-job` (lava-run's --output-dir) into a results directory"
                + " and the reports `run` writes; LAVA's own verdicts are compared with them.")
final class LavaResultsCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "OUTPUT_DIR", description = "lava-run's --output-dir (with the log lava-run wrote on stderr as "
            + LavaJob.LOG + ").")
    Path outputDir;

    @Option(names = "--results-dir", description = "Where to write results (default: the job's directory, beside job.yaml).")
    Path resultsDir;

    @Override
    public Integer call() throws Exception {
        LavaOutput out = LavaOutput.read(outputDir.toAbsolutePath().normalize()); // refused here if it is not one
        return report(out, resultsDir != null ? resultsDir : defaultResultsDir(out.dir()),
                hmmtest.infra.Project.cliCommand(spec.commandLine().getParseResult().originalArgs()));
    }

    /** The reconstruction and the reports; the exit code as `run` gives it, 4 when LAVA's verdicts differ from ours. */
    static int report(LavaOutput out, Path dir, String command) throws java.io.IOException {
        LavaResults.Result r = LavaResults.write(out, dir);
        hmmtest.report.ReportWriter.writeAll(dir, java.util.List.of(dir), java.util.Optional.empty(), command);
        Progress.always(String.format(java.util.Locale.ROOT, "LAVA: job %s, %d test case(s), %.1f s from the first to"
                + " the last line of its log", out.job().get("result"), out.cases().size(), out.wallTime().toMillis() / 1000.0));
        if (!r.disagreements().isEmpty()) {
            Progress.always("LAVA's verdicts differ from the reconstruction's:\n  " + String.join("\n  ", r.disagreements()));
        } else {
            Progress.always("LAVA's verdicts agree with the reconstruction's");
        }
        Progress.always("results: " + dir + " (summary.txt, report.html, results.ktap, junit/, summary.json, kcidb.json)");
        int code = ResultFiles.exitCode(r.session()).code;
        return r.disagreements().isEmpty() || code != ExitCode.OK.code ? code : ExitCode.INCOMPLETE.code;
    }

    /** Beside the job when the output directory is the one lava-job made; else a new directory under results/. */
    static Path defaultResultsDir(Path output) {
        Path parent = output.getParent();
        return parent != null && Files.isRegularFile(parent.resolve(LavaJob.JOB)) ? parent
                : RunCommand.defaultResultsDir("lava");
    }
}
