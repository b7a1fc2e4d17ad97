package hmmtest.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes every report for a set of kernel runs into one directory: KTAP, JUnit XML per run, the
 * LKP-style text summary, the HTML page and the JSON summary. Runs that crashed or were cut short
 * still give complete, valid files; what is missing is said inside them.
 */
public final class ReportWriter {
    /** The files written (in the order above) and the verdict the caller turns into an exit code. */
    public record Result(List<Path> files, Verdict verdict) {}

    public static final String KTAP = "results.ktap";
    public static final String TEXT = "summary.txt";
    public static final String HTML = "report.html";
    /** KCIDB I/O v5.3, for KernelCI's database (KcidbWriter). */
    public static final String KCIDB = "kcidb.json";
    public static final String JSON = "summary.json";
    public static final String JUNIT_DIR = "junit";

    private ReportWriter() {}

    /**
     * @param runDirs          one results directory per kernel run, in the order to show them
     * @param baseIndex        which of them is the base the others are compared with, if any
     * @param reproduceCommand the command line that reruns this validation, quoted verbatim
     */
    public static Result writeAll(Path outDir, List<Path> runDirs, Optional<Integer> baseIndex,
            String reproduceCommand) throws IOException {
        List<RunReport> runs = new ArrayList<>();
        runDirs.forEach(d -> runs.add(RunReport.read(d)));
        return writeAll(outDir, RunSet.of(runs, baseIndex).withBisection(Bisection.read(outDir)), reproduceCommand);
    }

    public static Result writeAll(Path outDir, RunSet set, String reproduceCommand) throws IOException {
        Files.createDirectories(outDir);
        List<Path> files = new ArrayList<>();
        files.add(Files.write(outDir.resolve(KTAP), KtapWriter.lines(set)));
        files.addAll(JunitXmlWriter.write(set, outDir.resolve(JUNIT_DIR)));
        files.add(Files.writeString(outDir.resolve(TEXT), TextSummary.render(set, reproduceCommand)));
        files.add(Files.writeString(outDir.resolve(HTML), HtmlReport.render(set, reproduceCommand)));
        Path json = outDir.resolve(JSON);
        Json.MAPPER.writeValue(json.toFile(), JsonSummary.of(set));
        files.add(json);
        Path kcidb = outDir.resolve(KCIDB);
        Json.MAPPER.writeValue(kcidb.toFile(), KcidbWriter.of(set));
        files.add(kcidb);
        return new Result(files, set.verdict());
    }
}
