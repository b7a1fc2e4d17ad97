package hmmtest.cli;

import hmmtest.infra.Progress;
import hmmtest.infra.Project;
import hmmtest.plan.TestDurations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "durations", mixinStandardHelpOptions = true,
        description = "Record the test durations of a finished run in test-durations.tsv (shards and the JOBS queue are"
                + " balanced by them). Commit the file: every shard of a CI matrix must split the same way.")
final class DurationsCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RESULTS_DIR", description = "A run's results directory (its results.json).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Path results = dir.resolve("results.json");
        if (!Files.isRegularFile(results)) {
            throw new IllegalArgumentException("durations: " + results + " does not exist (give a run's results directory)");
        }
        Map<String, Long> millis = TestDurations.fromResults(results);
        if (millis.isEmpty()) {
            throw new IllegalArgumentException("durations: " + results + " has no test that passed, failed or was skipped");
        }
        Path file = Project.root().resolve(TestDurations.FILE);
        TestDurations.write(file, millis, "the run " + dir.toAbsolutePath().normalize().getFileName() + " ("
                + new com.fasterxml.jackson.databind.ObjectMapper().readTree(results.toFile()).path("kernelRelease")
                        .asText("kernel unknown") + ")");
        Progress.always("durations: " + millis.size() + " tests written to " + file);
        return 0;
    }
}
