package hmmtest.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.NativeLibrary;
import hmmtest.uapi.AbiVersion;
import hmmtest.model.Action;
import hmmtest.uapi.Errno;
import hmmtest.engine.Budget;
import hmmtest.engine.DifferentialRun;
import hmmtest.engine.FuzzConfig;
import hmmtest.engine.RecordSink;
import hmmtest.engine.Sink;
import hmmtest.model.Layout;
import hmmtest.model.ModelOptions;
import hmmtest.model.Outcome;
import hmmtest.model.gen.ActionGenerator;
import hmmtest.model.gen.ActionGenerator.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real executor's process-side half (mmap kinds, mm calls, CPU accesses, fork) on the host
 * kernel: no test_hmm needed, so no device actions. Checks the executor against the model where
 * any Linux kernel must agree.
 */
class RealExecutorHostTest {
    static final Path LIB = Path.of("../../native/build").toAbsolutePath().normalize();

    @BeforeAll
    static void nativeLibrary() {
        assumeTrue(Files.exists(LIB.resolve("libhmmtest_native.so")), "native library not built");
        NativeLibrary.addSearchPath("hmmtest_native", LIB.toString());
    }

    static Layout freeLayout() {
        return new Layout(Machine.freeArenaBase(Machine.mappedRanges()));
    }

    @Test
    void performsMmActionsAsTheModelPredicts() {
        Layout layout = freeLayout();
        try (RealExecutor ex = new RealExecutor(layout)) {
            ex.reset();
            assertThat(ex.perform(Action.parse("mmap id=1 pages=4 prot=RW kind=ANON_PRIVATE thp=false")))
                    .isEqualTo(Outcome.ok());
            // the slot is taken: MAP_FIXED_NOREPLACE refuses
            assertThat(ex.perform(Action.parse("mmap id=1 pages=1 prot=RW kind=ANON_SHARED thp=false")).errno())
                    .isEqualTo(17); // EEXIST
            assertThat(ex.perform(Action.parse("read map=1 page=2"))).isEqualTo(Outcome.cpuRead(0));
            ex.perform(Action.parse("write map=1 page=2 token=0x55"));
            assertThat(ex.perform(Action.parse("read map=1 page=2"))).isEqualTo(Outcome.cpuRead(0x55));
            assertThat(ex.perform(Action.parse("fork map=1 page=2 token=0x66"))).isEqualTo(Outcome.ok());
            assertThat(ex.perform(Action.parse("read map=1 page=2"))).isEqualTo(Outcome.cpuRead(0x55));
            assertThat(ex.perform(Action.parse("mmap id=2 pages=2 prot=RW kind=FILE_SHARED thp=false")))
                    .isEqualTo(Outcome.ok());
            ex.perform(Action.parse("fork map=2 page=1 token=0x77"));
            assertThat(ex.perform(Action.parse("read map=2 page=1"))).isEqualTo(Outcome.cpuRead(0x77));
            assertThat(ex.perform(Action.parse("mprotect map=9 page=0 pages=1 prot=R")))
                    .isEqualTo(Outcome.error(Errno.ENOMEM));
            assertThat(ex.perform(Action.parse("mremap map=1 page=2 pages=1 to=3 dontunmap=false")))
                    .isEqualTo(Outcome.ok());
            assertThat(ex.perform(Action.parse("read map=3 page=0"))).isEqualTo(Outcome.cpuRead(0x55));
            assertThat(ex.perform(Action.parse("mremap map=1 page=2 pages=1 to=4 dontunmap=false")))
                    .isEqualTo(Outcome.error(Errno.EFAULT));
            ex.reset();
            // reset unmapped the arena: the slot is free again
            assertThat(ex.perform(Action.parse("mmap id=1 pages=4 prot=R kind=ANON_PRIVATE thp=false")))
                    .isEqualTo(Outcome.ok());
            assertThat(ex.perform(Action.parse("read map=1 page=0"))).isEqualTo(Outcome.cpuRead(0));
        }
    }

    @Test
    void aDifferentialRunOfMmActionsAgreesWithTheModelOnTheHostKernel() {
        Map<Kind, Integer> w = new EnumMap<>(Kind.class);
        for (Kind k : new Kind[] {Kind.MMAP, Kind.MUNMAP, Kind.MPROTECT, Kind.MADVISE, Kind.MREMAP, Kind.CPU_READ,
            Kind.CPU_WRITE, Kind.FORK}) {
            w.put(k, k == Kind.FORK ? 1 : 4);
        }
        ActionGenerator.Config gen = new ActionGenerator.Config(6, 4, 16, true, false, false, w, ModelOptions.defaults());
        FuzzConfig cfg = FuzzConfig.defaults().withGenerator(gen).withSequenceLength(150).withMaxDivergences(1)
                .withShrink(true, 60, java.time.Duration.ofSeconds(60));
        Layout layout = freeLayout();
        java.util.List<hmmtest.protocol.ResultRecord> records = new java.util.ArrayList<>();
        Sink.Stats stats;
        try (RealExecutor ex = new RealExecutor(layout)) {
            stats = new DifferentialRun(ex, ModelOptions.defaults(), layout).run(1234, AbiVersion.V7_3,
                    Budget.actions(600), cfg, new RecordSink(records::add));
        }
        assertThat(records).as("divergences").noneMatch(r -> r.field(0).equals("div"));
        assertThat(stats.actions()).isEqualTo(600);
    }
}
