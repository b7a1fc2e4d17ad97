package hmmtest.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import hmmtest.console.CorpusFile.Expected;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Walks every numeric file of the golden corpus (src/test/resources/console). Adding a file is the
 * only step needed to add a case. With {@code -Dconsole.update=true} headers are rewritten from
 * what the parser reports (comments and console output are kept); review the diff.
 *
 * <p>Dynamic tests rather than {@code @ParameterizedTest}: junit-jupiter-params is not on this
 * module's test classpath and the poms are not ours to change.
 */
class CorpusTest {

    private static final Path DIR = Path.of(System.getProperty("basedir", "."), "src/test/resources/console");
    private static final boolean UPDATE = Boolean.getBoolean("console.update");

    static List<CorpusFile> corpus() {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .sorted()
                    .map(CorpusFile::read)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<DynamicTest> forEachFile(Function<CorpusFile, Executable> check) {
        return corpus().stream().map(f -> dynamicTest(f.path().getFileName().toString(), check.apply(f)));
    }

    @TestFactory
    Stream<DynamicTest> reportsMatchTheirHeaders() {
        return forEachFile(file -> () -> {
            List<CrashReport> reports = ConsoleParser.parse(file.console());
            if (UPDATE) {
                file.rewrite(reports);
                return;
            }
            assertThat(reports.stream().map(Expected::of).toList())
                    .as("reports in %s", file.path())
                    .isEqualTo(file.expected());
        });
    }

    @TestFactory
    Stream<DynamicTest> reparsingFromTheStartLineGivesTheSameTitle() {
        return forEachFile(file -> () -> {
            for (CrashReport r : ConsoleParser.parse(file.console())) {
                List<String> rest = file.console().subList(r.startLine(), file.console().size());
                assertThat(ConsoleParser.parse(rest)).first()
                        .extracting(CrashReport::title)
                        .isEqualTo(r.title());
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> monitorAgreesWithParserLineByLineAndInChunks() {
        return forEachFile(file -> () -> {
            List<CrashReport> expected = ConsoleParser.parse(file.console());

            Recorder lines = new Recorder();
            ConsoleMonitor byLine = new ConsoleMonitor(lines);
            file.console().forEach(byLine::onLine);
            byLine.flush();
            assertThat(lines.completed).isEqualTo(expected);
            assertThat(lines.started).extracting(CrashStart::startLine)
                    .isEqualTo(expected.stream().map(CrashReport::startLine).toList());
            assertThat(lines.events).isEqualTo(alternating(expected.size()));

            // Serial output arrives in arbitrary pieces; the result must not depend on where they break.
            Recorder chunks = new Recorder();
            ConsoleMonitor byChunk = new ConsoleMonitor(chunks);
            String text = String.join("\n", file.console());
            for (int i = 0; i < text.length(); i += 37) {
                byChunk.accept(text.substring(i, Math.min(text.length(), i + 37)));
            }
            byChunk.flush();
            assertThat(chunks.completed).isEqualTo(expected);
        });
    }

    @TestFactory
    Stream<DynamicTest> excerptsSpanTheReport() {
        return forEachFile(file -> () -> {
            for (CrashReport r : ConsoleParser.parse(file.console())) {
                assertThat(r.startLine()).isLessThanOrEqualTo(r.endLine());
                assertThat(r.excerpt()).isNotEmpty().hasSizeLessThanOrEqualTo(ConsoleMonitor.DEFAULT_MAX_REPORT_LINES);
                assertThat(file.console().get(r.endLine())).endsWith(r.excerpt().get(r.excerpt().size() - 1));
                assertThat(r.title()).hasSizeLessThanOrEqualTo(Titles.MAX_LENGTH);
                assertThat(r.corruptedReason().isPresent()).isEqualTo(r.corrupted());
            }
        });
    }

    @Test
    void corpusCoversEveryKind() {
        Set<String> seen = corpus().stream()
                .flatMap(f -> f.expected().stream())
                .map(Expected::type)
                .collect(Collectors.toSet());
        // OOPS only titles an "Oops:" line whose cause line was lost; no realistic log shows it alone.
        Set<CrashKind> kinds = EnumSet.complementOf(EnumSet.of(CrashKind.OOPS));
        assertThat(seen).containsAll(kinds.stream().map(Enum::name).toList());
        assertThat(corpus()).anyMatch(f -> f.expected().isEmpty());
    }

    private static List<String> alternating(int reports) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < reports; i++) {
            events.add("start");
            events.add("complete");
        }
        return events;
    }

    /** Records monitor events in order. */
    static final class Recorder implements CrashListener {
        final List<String> events = new ArrayList<>();
        final List<CrashStart> started = new ArrayList<>();
        final List<CrashReport> completed = new ArrayList<>();

        @Override
        public void crashStarted(CrashStart start) {
            events.add("start");
            started.add(start);
        }

        @Override
        public void crashCompleted(CrashReport report) {
            events.add("complete");
            completed.add(report);
        }
    }
}
