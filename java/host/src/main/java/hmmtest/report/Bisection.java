package hmmtest.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Which patch of a series first breaks what the base passes: written by validate's bisection as
 * {@code bisect.json} in the report directory, read by every report. One definition for both.
 *
 * @param status      FOUND (firstBad names the patch), NOT_REPRODUCED (no prefix, not even the
 *                    whole series again, failed), or STOPPED (a step could not be built or run)
 * @param reason      one sentence on how it ended
 * @param tests       the new failures it chased (test ids)
 * @param patches     how many patches the series has
 * @param runsPerStep how many runs a prefix must pass to count as good (a failure ends it at once)
 * @param firstBad    1-based index of the first bad patch, when found
 * @param steps       each prefix tried, in the order tried
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Bisection(String status, String reason, List<String> tests, int patches, int runsPerStep,
        Integer firstBad, String firstBadTitle, String firstBadAuthor, List<Step> steps) {

    public static final String FILE = "bisect.json";

    /**
     * One prefix: the first {@code patches} patches applied to the base.
     *
     * @param verdict GOOD (every run passed the chased tests), BAD (a run failed one), or ERROR
     * @param build   how the kernel was obtained: cold, incremental, cached
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Step(int patches, String verdict, String build, double buildSeconds, long objectsCompiled,
            int runs, int failedRuns, String detail, String results) {}

    public boolean found() {
        return "FOUND".equals(status) && firstBad != null;
    }

    /** One line for summaries: the verdict of the bisection. */
    public String headline() {
        return found() ? "first bad patch: " + firstBad + "/" + patches + " " + firstBadTitle
                + (firstBadAuthor == null || firstBadAuthor.isEmpty() ? "" : " (" + firstBadAuthor + ")")
                : "bisection " + status.toLowerCase() + ": " + reason;
    }

    public static Optional<Bisection> read(Path reportDir) {
        Path f = reportDir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(f.toFile(), Bisection.class));
        } catch (IOException e) {
            return Optional.empty(); // a broken file is reported as no bisection rather than failing every report
        }
    }

    public void write(Path reportDir) throws IOException {
        Files.createDirectories(reportDir);
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(reportDir.resolve(FILE).toFile(), this);
    }
}
