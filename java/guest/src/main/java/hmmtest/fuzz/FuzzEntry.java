package hmmtest.fuzz;

import hmmtest.engine.DifferentialRun;
import hmmtest.engine.FuzzRequest;
import hmmtest.engine.ReplayResult;
import hmmtest.engine.Replayer;
import hmmtest.engine.Sink;
import hmmtest.model.Action;
import java.util.List;

/**
 * Entry point for the guest harness: a fuzz run or a replay on the real driver with the guest's
 * engine (the model in this JVM, {@link RealExecutor}), reporting to a {@link Sink}. The arguments
 * are {@link FuzzRequest}'s.
 */
public final class FuzzEntry {
    private FuzzEntry() {}

    /** Parses and runs. */
    public static Sink.Stats run(String[] args, Sink sink) {
        return run(FuzzRequest.parse(args), sink);
    }

    /**
     * Runs a request on the real driver: detects the machine, applies the knobs (unless told not
     * to), and fuzzes or replays. Reports everything to the sink and returns the totals.
     */
    public static Sink.Stats run(FuzzRequest r, Sink sink) {
        long t0 = System.nanoTime();
        Machine machine = Machine.detect();
        sink.info("machine", machine.toString());
        long t1 = System.nanoTime();
        MachineSetup setup = r.setupMachine() ? MachineSetup.apply(r.hugetlbPages()) : null;
        if (setup != null) {
            sink.info("setup", setup.describe());
        }
        long t2 = System.nanoTime();
        try (RealExecutor executor = RealExecutor.open(machine)) {
            DifferentialRun run = new DifferentialRun(executor, machine.options(), machine.layout())
                    .withFeedback(CoverageFeedback::open);
            sink.info("start-up", String.format(java.util.Locale.ROOT, "machine %d ms, setup %d ms, executor %d ms",
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000));
            if (r.mode() == FuzzRequest.Mode.SHRINK) {
                ReplayResult res = run.replayAndShrink(machine.abi(), r.replay(), r.config(), sink);
                return new Sink.Stats(res.steps().size(), 1, res.diverged() ? 1 : 0, res.diverged() ? 1 : 0, 0, 0, 0,
                        0, 0, "replay " + res.status());
            }
            if (r.mode() == FuzzRequest.Mode.REPLAY) {
                ReplayResult res = run.replay(machine.abi(), r.replay(), r.replayHazards(), sink);
                return new Sink.Stats(res.steps().size(), 1, res.diverged() ? 1 : 0, res.diverged() ? 1 : 0,
                        res.status() == ReplayResult.Status.HAZARD_SURVIVED ? 1 : 0, 0, 0, 0, 0,
                        "replay " + res.status());
            }
            sink.info("seed", Long.toString(r.seed()));
            sink.info("budget", r.budget().toString());
            return run.run(r.seed(), machine.abi(), r.budget(), r.config(), sink);
        } finally {
            if (setup != null) {
                setup.close();
            }
        }
    }

    /**
     * Replays a list on the real driver (every hazard executed: this is how the host reproduces a
     * kernel crash in a fresh VM) and reports through the sink.
     */
    public static ReplayResult replay(List<Action> actions, Sink sink) {
        Machine machine = Machine.detect();
        sink.info("machine", machine.toString());
        int hugetlb = (int) actions.stream().filter(a -> a instanceof Action.Mmap m
                && m.kind() == hmmtest.model.MapKind.HUGETLB).count();
        try (MachineSetup setup = MachineSetup.apply(hugetlb);
                RealExecutor executor = RealExecutor.open(machine)) {
            sink.info("setup", setup.describe());
            return new DifferentialRun(executor, machine.options(), machine.layout()).replay(machine.abi(), actions, Replayer.HazardPolicy.ALL, sink);
        }
    }
}
