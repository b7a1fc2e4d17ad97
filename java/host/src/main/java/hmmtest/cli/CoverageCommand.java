package hmmtest.cli;

import hmmtest.coverage.CoverageReport;
import hmmtest.infra.CacheDir;
import hmmtest.infra.Progress;
import hmmtest.kernel.KernelBuild;
import hmmtest.kernel.KernelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "coverage", mixinStandardHelpOptions = true,
        description = "One coverage report for several runs of the same coverage kernel (run, validate or fuzz results"
                + " directories): their VMs' counters added up, e.g. the suite and a fuzz run together.")
final class CoverageCommand implements Callable<Integer> {
    @Mixin
    KernelOptions kernel;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Results directories of runs on that kernel.")
    List<Path> dirs;

    @Option(names = "--results-dir", description = "Where to write (default: results/<time>-coverage).")
    Path resultsDir;

    @Override
    public Integer call() throws Exception {
        kernel.coverage = true;
        KernelBuild build = new KernelBuilder(CacheDir.fromEnvironment(), false).build(kernel.resolve());
        List<Path> vms = new ArrayList<>();
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                throw new IllegalArgumentException("coverage: no such directory: " + d);
            }
            vms.addAll(CoverageReport.vmDirs(d));
            if (Files.isDirectory(d.resolve("fuzz"))) {
                vms.add(d.resolve("fuzz"));
            }
        }
        if (vms.isEmpty()) {
            throw new IllegalArgumentException("coverage: none of the directories holds a VM's results (vm-N/ or fuzz/)");
        }
        Path out = resultsDir != null ? resultsDir : RunCommand.defaultResultsDir("coverage");
        Files.createDirectories(out);
        CoverageReport.Result r = CoverageReport.write(build, vms, out);
        Progress.always("results: " + r.dir());
        return 0;
    }
}
