package hmmtest.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every upstream hmm-tests.c test (each kernel series found, see {@link UpstreamSources}) has a
 * Java counterpart in the guest suite, in every variant of its fixture: a class with
 * {@code @DisplayName("fixture.variant")} and a {@code @Test} method named like the test. Without
 * an upstream file the check SKIPs and says why; it never passes silently.
 */
class UpstreamParityTest {
    private static final String NEW_TEST = "\nTEST_F(hmm, brand_new_case)\n{\n}\n";

    /** fixture.variant.test ids of {@code upstream} that the suite lacks, with the upstream line. */
    static List<String> missing(UpstreamTests upstream, SuiteIndex suite) {
        List<String> out = new ArrayList<>();
        for (UpstreamTests.Test t : upstream.tests()) {
            for (String id : upstream.ids(t)) {
                String displayName = id.substring(0, id.lastIndexOf('.'));
                if (suite.counterpart(displayName, t.name()) == null) {
                    out.add(id + " (" + t.macro() + " at line " + t.line() + ")");
                }
            }
        }
        return out;
    }

    static void assertParity(UpstreamTests upstream, SuiteIndex suite, String what) {
        if (upstream.tests().isEmpty()) {
            fail(what + ": no TEST_F found: not an hmm-tests.c?");
        }
        List<String> missing = missing(upstream, suite);
        if (!missing.isEmpty()) {
            fail(what + ": " + missing.size() + " upstream test instance(s) without a Java counterpart (a @Test method of that"
                    + " name in the class with @DisplayName(\"fixture.variant\")):\n  " + String.join("\n  ", missing));
        }
    }

    private static List<UpstreamSources.Source> sourcesOrSkip() {
        List<UpstreamSources.Source> sources = UpstreamSources.find();
        Assumptions.assumeFalse(sources.isEmpty(), UpstreamSources::searched);
        return sources;
    }

    /** One check per kernel series found; a plain test (not a factory) so a SKIP is reported as one. */
    @Test
    void everyUpstreamTestHasAJavaCounterpart() {
        List<UpstreamSources.Source> sources = sourcesOrSkip();
        SuiteIndex suite = SuiteIndex.load();
        assertAll(sources.stream().map(s -> (Executable) () -> {
            UpstreamTests upstream = UpstreamTests.read(s.file());
            assertParity(upstream, suite, "hmm-tests.c of " + s.version() + " (" + s.file() + ")");
            System.out.println("[parity] " + s.series() + ": " + upstream.tests().size() + " upstream tests x variants "
                    + upstream.variants() + " all ported (" + s.file() + ")");
        }));
    }

    /** The check is not vacuous: a TEST_F appended to a temporary copy of each file fails it. */
    @Test
    void anAddedUpstreamTestFailsTheCheck(@TempDir Path tmp) {
        List<UpstreamSources.Source> sources = sourcesOrSkip();
        SuiteIndex suite = SuiteIndex.load();
        assertAll(sources.stream().map(s -> (Executable) () -> {
            Path copy = tmp.resolve(s.series() + "-hmm-tests.c");
            Files.writeString(copy, Files.readString(s.file()) + NEW_TEST);
            AssertionError e = assertThrows(AssertionError.class,
                    () -> assertParity(UpstreamTests.read(copy), suite, copy.toString()),
                    "copy of " + s.file() + " + TEST_F(hmm, brand_new_case) must fail the check");
            assertThat(e.getMessage())
                    .contains("hmm.hmm_device_private.brand_new_case")
                    .contains("hmm.hmm_device_coherent.brand_new_case")
                    .contains("2 upstream test instance(s)");
        }));
    }

    /** The same check on a few lines of C, so it is tested even where no kernel tree is cached. */
    @Test
    void theCheckItselfWorksOnASyntheticFile() {
        String c = """
                FIXTURE_VARIANT_ADD(hmm, hmm_device_private)
                { .device_number = HMM_PRIVATE_DEVICE_ONE, };
                FIXTURE_VARIANT_ADD(hmm, hmm_device_coherent)
                { .device_number = HMM_COHERENCE_DEVICE_ONE, };
                FIXTURE_VARIANT_ADD(hmm2, hmm2_device_private) {};
                FIXTURE_VARIANT_ADD(hmm2, hmm2_device_coherent) {};
                /* TEST_F(hmm, in_a_comment_but_at_line_start_no) is not at a line start */
                TEST_F(hmm, open_close)
                {
                }
                TEST_F(hmm2, snapshot)
                {
                }
                TEST_F_TIMEOUT(hmm, benchmark_thp_migration, 120)
                {
                }
                """;
        SuiteIndex suite = SuiteIndex.load();
        UpstreamTests ok = UpstreamTests.parse(c);
        assertThat(ok.tests()).extracting(UpstreamTests.Test::name).containsExactly("open_close", "snapshot", "benchmark_thp_migration");
        assertThat(ok.ids(ok.tests().get(1))).containsExactly("hmm2.hmm2_device_private.snapshot", "hmm2.hmm2_device_coherent.snapshot");
        assertParity(ok, suite, "synthetic");

        AssertionError added = assertThrows(AssertionError.class,
                () -> assertParity(UpstreamTests.parse(c + NEW_TEST), suite, "synthetic + new test"));
        assertThat(added.getMessage()).contains("hmm.hmm_device_private.brand_new_case (TEST_F at line " + (c.split("\n").length + 2) + ")");

        AssertionError variant = assertThrows(AssertionError.class, () -> assertParity(
                UpstreamTests.parse("FIXTURE_VARIANT_ADD(hmm, hmm_device_fancy) {};\n" + c), suite, "synthetic + new variant"));
        assertThat(variant.getMessage()).contains("hmm.hmm_device_fancy.open_close", "hmm.hmm_device_fancy.benchmark_thp_migration");
    }

    /** docs/parity.md has a row for every upstream test of every series found. */
    @Test
    void theParityTableListsEveryUpstreamTest() throws IOException {
        List<UpstreamSources.Source> sources = sourcesOrSkip();
        Path table = findUp(Path.of(System.getProperty("user.dir")).toAbsolutePath(), "docs/parity.md");
        String doc = Files.readString(table);
        List<String> absent = new ArrayList<>();
        for (UpstreamSources.Source s : sources) {
            for (UpstreamTests.Test t : UpstreamTests.read(s.file()).tests()) {
                if (!doc.contains("| `" + t.name() + "` |")) {
                    absent.add(s.series() + " " + t.name());
                }
            }
        }
        assertThat(absent).as("upstream tests without a row in " + table).isEmpty();
    }

    private static Path findUp(Path from, String relative) {
        for (Path p = from; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(relative))) {
                return p.resolve(relative);
            }
        }
        throw new AssertionError(relative + " not found above " + from);
    }
}
