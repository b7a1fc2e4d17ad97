package hmmtest.differential;

import hmmtest.engine.DifferentialRun;
import hmmtest.engine.FuzzRequest;
import hmmtest.engine.RecordSink;
import hmmtest.engine.Target;
import hmmtest.protocol.ResultRecord;
import hmmtest.vm.Vm;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The host engine of a fuzz run: the generator, the model and the in-run shrinker run here, at
 * full JIT speed, while the guest only performs (its {@code executor} mode: the machine detected
 * and set up as for a fuzz run, then the C executor on the control port). The engine's reports
 * become the same records the guest's engine sends, so the rest of the run (log, crash pinning
 * and shrinking, reports) cannot tell the engines apart.
 *
 * <p>The guest's records go through {@link #record}, which also catches the machine's
 * description the engine waits for; {@link #run} is the VM's companion.
 */
final class HostEngine {
    /** The fuzz arguments for the guest's executor mode (FuzzRequest's: the machine's knobs). */
    static final String ARGS_FILE = "etc/hmmtest/executor.args";
    /** The engine's records, beside the guest's results.log in the VM's directory (FuzzDigest reads both). */
    static final String LOG = "engine.log";

    private final List<String> args;
    private final Consumer<ResultRecord> records;
    private final Path log;
    private final CompletableFuture<Target> target = new CompletableFuture<>();

    /** {@code log}: where the engine's records are kept (the VM's directory's {@value #LOG}). */
    HostEngine(List<String> args, Consumer<ResultRecord> records, Path log) {
        this.args = List.copyOf(args);
        this.records = records;
        this.log = log;
    }

    /** A record from the guest. */
    void record(ResultRecord r) {
        if (r.kind() == ResultRecord.Kind.INFO && r.field(0).equals("executor-target")) {
            target.complete(Target.parse(r.field(1)));
        }
        records.accept(r);
    }

    /** Drives the guest's executor until the budget is spent, the run stops, or the VM goes. */
    void run(Vm vm) throws Exception {
        // connected before the guest's executor starts: it greets as soon as it opens the port
        ByteChannel channel = vm.control();
        FuzzRequest request = FuzzRequest.parse(args.toArray(String[]::new));
        Target t = awaitTarget(channel);
        if (t == null) {
            return; // the VM ended first: its result says why
        }
        Files.createDirectories(log.getParent());
        try (BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            drive(channel, request, t, new RecordSink(r -> {
                try {
                    out.write(r.encode());
                    out.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException("writing " + log, e);
                }
                records.accept(r);
            }));
        }
    }

    private void drive(ByteChannel channel, FuzzRequest request, Target t, RecordSink sink) {
        try (RemoteExecutor executor = new RemoteExecutor(channel, t.layout())) {
            sink.info("engine", "host (the guest's C executor over the control port)");
            sink.info("seed", Long.toString(request.seed()));
            sink.info("budget", request.budget().toString());
            new DifferentialRun(executor, t.options(), t.layout()).run(request.seed(), t.abi(), request.budget(),
                    request.config(), sink);
        } catch (RemoteExecutor.ExecutorGone e) {
            // the VM was stopped (a kernel crash, a hang) or died: the VM's result says which
            sink.info("executor-gone", e.getMessage());
        } catch (RuntimeException e) {
            sink.error(e);
        }
    }

    private Target awaitTarget(ByteChannel channel) throws InterruptedException, ExecutionException {
        while (channel.isOpen()) {
            try {
                return target.get(500, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // not yet: the guest is booting or detecting the machine
            }
        }
        return null;
    }
}
