package hmmtest.cli;

import hmmtest.infra.Progress;
import hmmtest.pipeline.ShardMerge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Join the results directories of the shards of one run (--shard 1/N ... N/N) or validation"
                + " into one results directory with the same reports (text, KTAP, JUnit XML, HTML, JSON, KCIDB)."
                + " A missing shard is named and its tests are reported not run.")
final class MergeCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "The shards' results directories.")
    List<Path> dirs;

    @Option(names = "--results-dir", description = "Where to write the merged results (default: results/<time>-merged).")
    Path resultsDir;

    @Override
    public Integer call() throws Exception {
        Path out = resultsDir != null ? resultsDir : RunCommand.defaultResultsDir("merged");
        ShardMerge.Outcome o = ShardMerge.merge(dirs, out,
                hmmtest.infra.Project.cliCommand(spec.commandLine().getParseResult().originalArgs()));
        o.problems().forEach(p -> Progress.always("merge: " + p));
        Progress.always(Files.readString(out.resolve(hmmtest.report.ReportWriter.TEXT)).stripTrailing());
        Progress.always("results: " + out + " (summary.txt, report.html, results.ktap, junit/, summary.json, kcidb.json)");
        return o.exitCode().code;
    }
}
