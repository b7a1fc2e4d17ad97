package hmmtest.repro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import hmmtest.uapi.AbiVersion;
import hmmtest.model.Action;
import hmmtest.uapi.Errno;
import hmmtest.model.Layout;
import hmmtest.model.ModelOptions;
import hmmtest.model.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproducersTest {

    static final List<Action> DEVICE_LIST = Reproducers.parseActions("""
            # a comment and a blank line are ignored

            mmap id=1 pages=4 prot=RW kind=ANON_PRIVATE thp=false
            mmap id=2 pages=2 prot=RW kind=FILE_SHARED thp=false
            open fd=0 dev=0
            write map=1 page=0 token=0x1234
            fork map=1 page=1 token=0x99
            ioctl fd=0 cmd=READ map=1 page=0 npages=2
            ioctl fd=0 cmd=WRITE map=1 page=2 npages=2 token=0x500
            ioctl fd=0 cmd=SNAPSHOT map=1 page=0 npages=4
            ioctl fd=0 cmd=MIGRATE_TO_DEV map=1 page=0 npages=1
            ioctl fd=0 cmd=0xc map=1 page=0 byteoff=12 npages=0xffffffffffffffff
            mprotect map=1 page=0 pages=1 prot=R
            madvise map=1 page=3 pages=1 advice=DONTNEED
            mremap map=1 page=2 pages=1 to=3 dontunmap=true
            read map=1 page=0
            munmap map=2 page=0 pages=2
            close fd=0
            """);

    /** Only mm actions: the host kernel can run these (no test_hmm needed). */
    static final List<Action> MM_LIST = Reproducers.parseActions("""
            mmap id=1 pages=4 prot=RW kind=ANON_PRIVATE thp=false
            write map=1 page=0 token=0x1234
            fork map=1 page=0 token=0x99
            read map=1 page=0
            mmap id=2 pages=2 prot=RW kind=ANON_SHARED thp=false
            fork map=2 page=1 token=0x4242
            read map=2 page=1
            mmap id=4 pages=3 prot=RW kind=FILE_PRIVATE thp=false
            write map=4 page=2 token=0xabc
            read map=4 page=1
            mprotect map=1 page=1 pages=2 prot=R
            read map=1 page=2
            mprotect map=7 page=0 pages=1 prot=R
            madvise map=1 page=0 pages=1 advice=DONTNEED
            read map=1 page=0
            mremap map=4 page=2 pages=1 to=5 dontunmap=false
            read map=5 page=0
            mremap map=1 page=0 pages=1 to=6 dontunmap=true
            read map=6 page=0
            munmap map=2 page=0 pages=2
            mmap id=8 pages=512 prot=RW kind=ANON_PRIVATE thp=true
            write map=8 page=100 token=0x7
            read map=8 page=100
            read map=8 page=101
            """);

    static Reproducers.Subject subject(String name) {
        return new Reproducers.Subject(name, "ioctl READ: faults", AbiVersion.V7_3, ModelOptions.defaults(),
                Layout.DEFAULT_ARENA_BASE, "make fuzz SEED={seed} # then replay {actions}", 42);
    }

    static boolean haveGcc() {
        try {
            return new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static String run(Path dir, List<String> cmd, int[] exit) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        exit[0] = p.exitValue();
        return out;
    }

    @Test
    void theActionListRoundTrips() {
        String text = Reproducers.actionsText(DEVICE_LIST);
        assertThat(text.lines()).hasSize(DEVICE_LIST.size());
        assertThat(Reproducers.parseActions(text)).isEqualTo(DEVICE_LIST);
    }

    @Test
    void theRerunLineFillsInThePlaceholders() {
        assertThat(Reproducers.rerunLine(subject("div-s42-q0-a3")))
                .isEqualTo("rerun: make fuzz SEED=42 # then replay div-s42-q0-a3.actions");
        Reproducers.Subject none = new Reproducers.Subject("x", "t", AbiVersion.V6_12, ModelOptions.defaults(),
                Layout.DEFAULT_ARENA_BASE, "", 1);
        assertThat(Reproducers.rerunLine(none)).isEqualTo("rerun: (no rerun command given); replay x.actions");
    }

    @Test
    void allFourFilesAreNamedAfterTheSubject() {
        List<Reproducers.File> files = Reproducers.all(subject("div-a"), DEVICE_LIST, List.of());
        assertThat(files).extracting(Reproducers.File::name).containsExactly("div-a.actions",
                Reproducers.javaClassName(subject("div-a"), DEVICE_LIST) + ".java", "div-a.c", "div-a.rerun");
        assertThat(files.get(3).content()).isEqualTo(Reproducers.rerunLine(subject("div-a")) + "\n");
        assertThat(Reproducers.javaClassName(subject("div-a"), DEVICE_LIST)).matches("FuzzRepro_V7_3_[0-9a-f]{8}");
    }

    @Test
    void theCProgramCompilesStatically(@TempDir Path dir) throws Exception {
        assumeTrue(haveGcc(), "gcc not installed");
        Files.writeString(dir.resolve("repro.c"), Reproducers.cSource(subject("repro"), DEVICE_LIST,
                Reproducers.expectations(AbiVersion.V7_3, ModelOptions.defaults(), Layout.DEFAULT_ARENA_BASE,
                        DEVICE_LIST, List.of())));
        int[] exit = {0};
        String out = run(dir, List.of("gcc", "-static", "-O1", "-Wall", "-Wextra", "-Werror", "-o", "repro",
                "repro.c"), exit);
        assertThat(exit[0]).as(out).isZero();
        assertThat(dir.resolve("repro")).isExecutable();
    }

    /**
     * The host kernel runs the mm-only program: the C executor's outcomes print in the model's
     * notation and agree with the model (exit 0), which checks the C helpers and the notation.
     */
    @Test
    void theCProgramAgreesWithTheModelOnTheHostKernelForMmOnlyActions(@TempDir Path dir) throws Exception {
        assumeTrue(haveGcc(), "gcc not installed");
        Files.writeString(dir.resolve("mm.c"), Reproducers.cSource(subject("mm"), MM_LIST,
                Reproducers.expectations(AbiVersion.V7_3, ModelOptions.defaults(), Layout.DEFAULT_ARENA_BASE,
                        MM_LIST, List.of())));
        int[] exit = {0};
        String cc = run(dir, List.of("gcc", "-O1", "-Wall", "-Werror", "-o", "mm", "mm.c"), exit);
        assertThat(exit[0]).as(cc).isZero();
        String out = run(dir, List.of("./mm"), exit);
        assertThat(exit[0]).as(out).isZero();
        assertThat(out).contains("[3] read map=1 page=0\n    observed: OK data=[0x1234]\n    agrees with the model")
                .contains("[6] read map=2 page=1\n    observed: OK data=[0x4242]")
                .contains("[12] mprotect map=7 page=0 pages=1 prot=R\n    observed: ENOMEM")
                .contains(MM_LIST.size() + " action(s), 0 outcome(s) the model does not allow");
    }

    @Test
    void theCProgramReportsAnOutcomeTheModelDoesNotAllow(@TempDir Path dir) throws Exception {
        assumeTrue(haveGcc(), "gcc not installed");
        List<Action> list = MM_LIST.subList(0, 4);
        // observed says the read saw the child's write: the model then predicts 0x99 nowhere
        List<Reproducers.Expectation> ex = Reproducers.expectations(AbiVersion.V7_3, ModelOptions.defaults(),
                Layout.DEFAULT_ARENA_BASE, list, List.of(Outcome.ok(), Outcome.ok(), Outcome.ok()));
        List<Reproducers.Expectation> wrong = new ArrayList<>(ex);
        wrong.set(3, new Reproducers.Expectation(List.of(Outcome.cpuRead(0x99).toString()), ""));
        Files.writeString(dir.resolve("d.c"), Reproducers.cSource(subject("d"), list, wrong));
        int[] exit = {0};
        String cc = run(dir, List.of("gcc", "-O1", "-Wall", "-Werror", "-o", "d", "d.c"), exit);
        assertThat(exit[0]).as(cc).isZero();
        String out = run(dir, List.of("./d"), exit);
        assertThat(exit[0]).as(out).isEqualTo(1);
        assertThat(out).contains("observed: OK data=[0x1234]\n    DIVERGES; the model allows:\n      OK data=[0x99]")
                .contains("4 action(s), 1 outcome(s) the model does not allow");
    }

    @Test
    void expectationsFollowTheObservedOutcomesAndStopAfterADivergence() {
        List<Action> list = MM_LIST.subList(0, 4);
        List<Outcome> observed = List.of(Outcome.ok(), Outcome.error(Errno.EFAULT));
        List<Reproducers.Expectation> ex = Reproducers.expectations(AbiVersion.V7_3, ModelOptions.defaults(),
                Layout.DEFAULT_ARENA_BASE, list, observed);
        assertThat(ex.get(0).allowed()).containsExactly("OK");
        assertThat(ex.get(1).allowed()).containsExactly("OK");
        assertThat(ex.get(2).allowed()).isEmpty();
        assertThat(ex.get(3).allowed()).isEmpty();
    }

    @Test
    void cStringsAndJavaStringsAreEscaped() {
        assertThat(Reproducers.cString("a\"b\\c\nd")).isEqualTo("\"a\\\"b\\\\c\\nd\"");
        assertThat(Reproducers.javaString("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(Map.of()).isEmpty();
    }
}
