package hmmtest.cli;

import hmmtest.infra.CacheDir;
import hmmtest.infra.Progress;
import hmmtest.infra.Project;
import hmmtest.pipeline.KernelRun;
import hmmtest.pipeline.ResultFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Build what is missing (kernel, guest image), boot it in QEMU, run the device suite, report.")
final class RunCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    KernelOptions kernel;

    @Mixin
    RunOptions options;

    @Option(names = "--results-dir", description = "Where to write results (default: results/<time>-<variant>).")
    Path resultsDir;

    @Override
    public Integer call() throws IOException {
        Path dir = resultsDir != null ? resultsDir : defaultResultsDir(kernel.label());
        KernelRun.Result r = KernelRun.run(CacheDir.fromEnvironment(), kernel.resolve(), kernel.label(),
                options.settings(), dir, kernel.cleanBuild());
        // the same reports validate writes (text, KTAP, JUnit XML, HTML, JSON), for this one kernel
        hmmtest.report.ReportWriter.writeAll(dir, java.util.List.of(dir), java.util.Optional.empty(),
                hmmtest.infra.Project.cliCommand(spec.commandLine().getParseResult().originalArgs()));
        Progress.always("results: " + dir + " (summary.txt, report.html, results.ktap, junit/, summary.json)");
        return ResultFiles.exitCode(r.session()).code;
    }

    static Path defaultResultsDir(String label) {
        return Project.root().resolve("results").resolve(
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                        + label.replaceAll("[^A-Za-z0-9.+-]", "_"));
    }
}
