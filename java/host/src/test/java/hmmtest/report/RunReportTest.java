package hmmtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.results.TestOutcome;
import hmmtest.results.TestStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {

    @Test
    void readsAPatchedRunWithItsManifestCrashAndVms() {
        RunReport r = Fixtures.run("patched");
        assertThat(r.variant()).isEqualTo("patched");
        assertThat(r.kernelRelease()).isEqualTo("7.3.4");
        assertThat(r.manifest().describeSource()).isEqualTo("linux-source-7.3 7.3.4-1~bpo13+1 (sha256 703e369ddd4c)");
        assertThat(r.manifest().series()).extracting(KernelManifest.Patch::title).containsExactly(
                "[PATCH v3 1/2] mm/hmm: let make_device_exclusive() take a folio",
                "[PATCH v3 2/2] lib/test_hmm: exercise exclusive access on large folios");
        assertThat(r.manifest().applyStatus(2)).isEqualTo("OFFSET");
        assertThat(r.status("hmm.hmm_device_private.exclusive")).isEqualTo(TestStatus.CRASHED);
        assertThat(r.crashesOf("hmm.hmm_device_private.exclusive")).singleElement()
                .satisfies(c -> assertThat(c.title())
                        .isEqualTo("BUG: kernel NULL pointer dereference in make_device_exclusive"))
                .satisfies(c -> assertThat(c.excerpt()).contains("RIP: 0010:make_device_exclusive+0x131/0x146"));
        assertThat(r.vms()).extracting(RunReport.Vm::index).containsExactly(1, 2);
        assertThat(r.vms().get(0).phases()).extracting(p -> p.name())
                .containsExactly("init", "module-loaded", "jvm-started", "first-ioctl");
        assertThat(r.consoleLogs()).hasSize(2);
        assertThat(r.complete()).isTrue();
        assertThat(r.fuzz()).isEmpty();
    }

    @Test
    void aRunCutShortBeforeResultsJsonIsAnEmptyIncompleteRunNamedByItsDirectory() {
        RunReport r = Fixtures.run("cut-short");
        assertThat(r.variant()).isEqualTo("cut-short");
        assertThat(r.outcomes()).isEmpty();
        assertThat(r.incomplete()).contains("no results.json");
        assertThat(r.problems()).isNotEmpty();
        assertThat(r.complete()).isFalse();
        assertThat(r.consoleLogs()).singleElement().satisfies(p -> assertThat(p).endsWith(Path.of("vm-1/console.log")));
    }

    @Test
    void plannedTestsWithoutAnOutcomeAreNotRun() {
        RunReport r = Fixtures.run("deadline");
        assertThat(r.outcomes()).hasSize(r.plan().size());
        assertThat(r.outcomes().subList(8, 11)).allSatisfy(o -> {
            assertThat(o.status()).isEqualTo(TestStatus.NOT_RUN);
            assertThat(o.message()).isEqualTo(RunReport.NO_RESULT);
        });
        assertThat(r.count(TestStatus.NOT_RUN)).isEqualTo(4);
        assertThat(r.complete()).isFalse();
    }

    @Test
    void readsTheOlderSingleVmSchema() {
        RunReport r = Fixtures.run("old-schema");
        assertThat(r.variant()).isEqualTo("merged");
        assertThat(r.kernelRelease()).isEqualTo("7.3.4"); // from info.kernel: no kernelRelease field then
        assertThat(r.manifest()).isEqualTo(KernelManifest.NONE);
        assertThat(r.outcomes()).hasSize(6).allSatisfy(o -> assertThat(o.status()).isEqualTo(TestStatus.PASS));
        assertThat(r.vms()).singleElement().satisfies(v -> assertThat(v.phases()).hasSize(4));
        assertThat(r.complete()).isTrue();
    }

    @Test
    void readsTheDifferentialSection() {
        FuzzSection f = Fixtures.run("fuzz").fuzz().orElseThrow();
        assertThat(f.seed()).isEqualTo("0x5eed1234");
        assertThat(f.actions()).isEqualTo(48213);
        assertThat(f.divergences()).hasSize(2);
        assertThat(f.divergenceColumns()).containsExactly("action", "op", "address", "expected", "actual");
    }

    @Test
    void readsAgreementJson() {
        var rows = Fixtures.run("base").agreement();
        assertThat(rows).hasSize(5);
        assertThat(rows.get(4).ours()).isNull();
        assertThat(rows.get(4).agree()).isFalse();
    }

    @Test
    void withoutResultsJsonTheCrashesStillComeFromCrashesJson(@TempDir Path dir) throws Exception {
        Files.copy(Fixtures.dir("patched").resolve("crashes.json"), dir.resolve("crashes.json"));
        RunReport r = RunReport.read(dir);
        assertThat(r.crashes()).extracting(RunReport.Crash::test).containsExactly("hmm.hmm_device_private.exclusive");
        assertThat(r.complete()).isFalse();
    }

    @Test
    void brokenJsonAndUnknownStatusesNeverReadAsPasses(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("results.json"), "{\"variant\":\"x\",\"tests\":[{\"id\":\"a.b\",\"status\":\"WEIRD\"}]}");
        assertThat(RunReport.read(dir).outcomes()).extracting(TestOutcome::status).containsExactly(TestStatus.ERROR);

        Files.writeString(dir.resolve("results.json"), "{\"variant\":\"x\",\"tests\":[{\"id\":");
        RunReport broken = RunReport.read(dir);
        assertThat(broken.incomplete()).startsWith("results.json unreadable");
        assertThat(broken.complete()).isFalse();
    }
}
