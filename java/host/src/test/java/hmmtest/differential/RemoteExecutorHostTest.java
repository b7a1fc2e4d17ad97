package hmmtest.differential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import hmmtest.engine.Budget;
import hmmtest.engine.DifferentialRun;
import hmmtest.engine.ExecutorException;
import hmmtest.engine.FuzzConfig;
import hmmtest.engine.RecordSink;
import hmmtest.engine.Sink;
import hmmtest.model.Action;
import hmmtest.model.Layout;
import hmmtest.model.ModelOptions;
import hmmtest.model.Outcome;
import hmmtest.model.gen.ActionGenerator;
import hmmtest.model.gen.ActionGenerator.Kind;
import hmmtest.protocol.ResultRecord;
import hmmtest.uapi.AbiVersion;
import hmmtest.uapi.Errno;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The host engine's executor pair (this class's wire and the C executor, run on the host kernel
 * with stdin/stdout as its port): the process-side actions, where any Linux kernel must agree with
 * the model. No test_hmm here, so no device actions; the VM tests run those.
 */
class RemoteExecutorHostTest {
    static final Path EXECUTOR = Path.of("../../native/build/hmmfuzz_exec").toAbsolutePath().normalize();
    /** The executor is its own small process: the default arena base is free in it. */
    static final Layout LAYOUT = new Layout(Layout.DEFAULT_ARENA_BASE);

    private Process process;

    @BeforeEach
    void start() throws IOException {
        assumeTrue(Files.isExecutable(EXECUTOR), "C executor not built (make -C native)");
        process = new ProcessBuilder(EXECUTOR.toString(), "-", Integer.toString(Action.Ioctl.MAX_BUFFER_PAGES),
                Integer.toString(Action.Ioctl.MAX_SNAPSHOT_BYTES)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor();
        }
    }

    private RemoteExecutor executor() {
        return new RemoteExecutor(new Pipes(process.getInputStream(), process.getOutputStream()), LAYOUT);
    }

    @Test
    void performsMmActionsAsTheModelPredicts() {
        try (RemoteExecutor ex = executor()) {
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
            // a fork whose child store faults: EFAULT, as the guest's RealExecutor says it
            assertThat(ex.perform(Action.parse("mprotect map=2 page=0 pages=1 prot=R"))).isEqualTo(Outcome.ok());
            assertThat(ex.perform(Action.parse("fork map=2 page=0 token=0x1"))).isEqualTo(Outcome.error(Errno.EFAULT));
            ex.reset();
            // reset unmapped the arena: the slot is free again
            assertThat(ex.perform(Action.parse("mmap id=1 pages=4 prot=R kind=ANON_PRIVATE thp=false")))
                    .isEqualTo(Outcome.ok());
        }
    }

    @Test
    void aCpuAccessThatFaultsIsTheExecutorsErrorAndTheExecutorGoesOn() {
        try (RemoteExecutor ex = executor()) {
            ex.reset();
            assertThatThrownBy(() -> ex.perform(Action.parse("read map=5 page=0")))
                    .isInstanceOf(ExecutorException.class).hasMessageContaining("faulted");
            assertThatThrownBy(() -> ex.perform(Action.parse("close fd=3")))
                    .isInstanceOf(ExecutorException.class).hasMessageContaining("not open");
            assertThat(ex.perform(Action.parse("mmap id=5 pages=1 prot=RW kind=ANON_PRIVATE thp=false")))
                    .isEqualTo(Outcome.ok());
            assertThat(ex.perform(Action.parse("read map=5 page=0"))).isEqualTo(Outcome.cpuRead(0));
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
        List<ResultRecord> records = new ArrayList<>();
        Sink.Stats stats;
        try (RemoteExecutor ex = executor()) {
            stats = new DifferentialRun(ex, ModelOptions.defaults(), LAYOUT).run(1234, AbiVersion.V7_3,
                    Budget.actions(600), cfg, new RecordSink(records::add));
        }
        assertThat(records).as("divergences").noneMatch(r -> r.field(0).equals("div"));
        assertThat(stats.actions()).isEqualTo(600);
    }

    @Test
    void anExecutorThatIsGoneEndsTheRun() throws InterruptedException {
        RemoteExecutor ex = executor();
        process.destroy();
        process.waitFor();
        assertThatThrownBy(() -> ex.perform(Action.parse("mmap id=1 pages=1 prot=RW kind=ANON_PRIVATE thp=false")))
                .isInstanceOf(RemoteExecutor.ExecutorGone.class);
    }

    /** The process's stdout and stdin as one channel, as the control port's socket is. */
    private static final class Pipes implements ByteChannel {
        private final ReadableByteChannel in;
        private final OutputStream stream;
        private final WritableByteChannel out;

        Pipes(InputStream in, OutputStream out) {
            this.in = Channels.newChannel(in);
            this.stream = out;
            this.out = Channels.newChannel(out);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return in.read(dst);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = out.write(src);
            stream.flush(); // a process's stdin is buffered: a request must reach the executor whole
            return n;
        }

        @Override
        public boolean isOpen() {
            return in.isOpen() && out.isOpen();
        }

        @Override
        public void close() throws IOException {
            in.close();
            out.close();
        }
    }
}
