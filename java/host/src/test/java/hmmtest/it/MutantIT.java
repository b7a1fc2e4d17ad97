package hmmtest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmmtest.cli.Main;
import hmmtest.infra.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A mutant driver (kernel-config/mutants/: CHECK_EXCLUSIVE skips the last page of its range, on
 * merged) against both kinds of testing: the differential run must catch it with a counterexample
 * of at most 8 actions; the upstream-parity suite runs on the same kernel for comparison, and
 * misses it (upstream only asks CHECK_EXCLUSIVE once every page was touched).
 */
class MutantIT {
    static final Path MUTANT = Path.of(System.getProperty("hmmtest.home", "."),
            "kernel-config/mutants/check-exclusive-skips-last-page.patch").normalize();

    @Test
    void theDifferentialRunCatchesTheMutantThatTheUpstreamPortsMiss() throws Exception {
        Path fuzz = Path.of("target/it-results/mutant-fuzz").toAbsolutePath();
        int exit = Main.execute("fuzz", "--base", "merged", "--series", MUTANT.toString(), "--seed", "1",
                "--seconds", "90", "--results-dir", fuzz.toString());
        assertThat(exit).as("fuzz exit code (divergence found)").isEqualTo(ExitCode.TESTS_FAILED.code);
        // The mutant's counterexamples end in the CHECK_EXCLUSIVE it answers wrongly.
        List<Path> counterexamples;
        try (Stream<Path> s = Files.list(fuzz.resolve("reproducers"))) {
            counterexamples = s.filter(p -> p.toString().endsWith(".actions") && lastAction(p).contains("cmd=CHECK_EXCLUSIVE"))
                    .sorted(Comparator.comparing(MutantIT::length)).toList();
        }
        assertThat(counterexamples).as("divergence reproducers ending in CHECK_EXCLUSIVE").isNotEmpty();
        Path shortest = counterexamples.get(0);
        System.out.println("[it] mutant: shortest counterexample " + shortest.getFileName() + ", " + length(shortest)
                + " actions:\n" + Files.readString(shortest));
        assertThat(length(shortest)).as("actions in " + shortest).isBetween(1L, 8L);

        // Our one-to-one ports on the private device, and upstream's own binary (all of its tests).
        Path suite = Path.of("target/it-results/mutant-parity").toAbsolutePath();
        int suiteExit = Main.execute("run", "--base", "merged", "--series", MUTANT.toString(), "--select",
                "hmm.hmm_device_private.*,upstream.*", "--results-dir", suite.toString());
        Map<String, Integer> verdicts = new TreeMap<>();
        JsonNode results = new ObjectMapper().readTree(suite.resolve("results.json").toFile());
        results.path("tests").forEach(t -> verdicts.merge(t.path("status").asText(), 1, Integer::sum));
        System.out.println("[it] mutant: upstream-parity suite " + verdicts + ", exit " + suiteExit
                + "; differential run: caught in " + length(shortest) + " actions");
        assertThat(verdicts.getOrDefault("PASS", 0)).as("ports that ran and passed").isGreaterThan(30);
        assertThat(suiteExit).as("the upstream-parity suite does not notice the mutant").isZero();
    }

    private static String lastAction(Path actions) {
        List<String> lines = actionLines(actions);
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static long length(Path actions) {
        return actionLines(actions).size();
    }

    /** The actions of a reproducer: one per line, blank lines and # comments skipped. */
    private static List<String> actionLines(Path actions) {
        try {
            return Files.readAllLines(actions).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
