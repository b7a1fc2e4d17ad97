package hmmtest.engine;

import hmmtest.repro.Reproducers;

import hmmtest.engine.ReplayResult.Status;
import hmmtest.uapi.AbiVersion;
import hmmtest.model.Action;
import hmmtest.model.Layout;
import hmmtest.model.Model;
import hmmtest.model.ModelOptions;
import hmmtest.model.Outcome;
import hmmtest.model.Prediction;
import hmmtest.model.gen.ActionGenerator;
import hmmtest.model.gen.Shrinker;
import hmmtest.model.gen.Steering;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Differential testing of the driver against the reference model: the seeded generator proposes
 * an action for the model's current state, the model predicts, the executor performs, and
 * {@link Prediction#allows} decides. A divergence is reported at once, shrunk in the guest by
 * replaying candidate subsequences from a fresh state, and turned into {@link Reproducers}.
 *
 * <p>Deterministic: with an executor that answers the same way, the same seed gives the same
 * actions and verdicts (time budgets only decide where the run stops).
 *
 * <p>After a divergence (or a survived crash hazard) the model cannot follow the kernel, so the
 * state is torn down and a new sequence starts; the generator's random stream continues.
 */
public final class DifferentialRun {
    private final Executor executor;
    private final ModelOptions options;
    private final Layout layout;
    private final LongSupplier nanoClock;
    /** Where steering reads the kernel's coverage (empty: not a coverage kernel, or tests). */
    private Supplier<Optional<EdgeFeedback>> coverage = Optional::empty;
    private long nextSequence;

    public DifferentialRun(Executor executor, ModelOptions options, Layout layout) {
        this(executor, options, layout, System::nanoTime);
    }

    /** With a custom clock (tests). */
    public DifferentialRun(Executor executor, ModelOptions options, Layout layout, LongSupplier nanoClock) {
        this.executor = executor;
        this.options = options;
        this.layout = layout;
        this.nanoClock = nanoClock;
    }

    /** Steering ({@code --steer}) reads new kernel edges from here; without it steering stays off. */
    public DifferentialRun withFeedback(Supplier<Optional<EdgeFeedback>> coverage) {
        this.coverage = coverage;
        return this;
    }

    private Model newModel(AbiVersion abi) {
        return new Model(abi, options, layout).afterCoherentDevicesReleased(); // the executor's reset releases them
    }

    private long sequenceId() {
        return nextSequence++;
    }

    private long lastSequenceId() {
        return nextSequence - 1;
    }

    /** Mutable state of one main run. */
    private final class RunState {
        final long seed;
        final AbiVersion abi;
        final FuzzConfig cfg;
        final Sink sink;
        final Set<String> signatures = new HashSet<>();
        final List<Action> current = new ArrayList<>();
        final List<Outcome> currentObserved = new ArrayList<>();
        Model model;
        long sequence;
        long actions;
        long sequences;
        long divergences;
        long distinct;
        long hazardsSurvived;
        long executorErrors;
        long ambiguousEnds;
        long shrinkActions;
        long shrinkCandidates;
        long shrinkNanos;

        RunState(long seed, AbiVersion abi, FuzzConfig cfg, Sink sink) {
            this.seed = seed;
            this.abi = abi;
            this.cfg = cfg;
            this.sink = sink;
        }

        void newSequence() {
            executor.reset();
            sequence = sequenceId();
            sink.sequence(sequence, Sink.SequenceKind.FUZZ);
            model = newModel(abi);
            current.clear();
            currentObserved.clear();
            sequences++;
        }
    }

    /**
     * Runs until the budget is spent or {@link FuzzConfig#maxDivergences()} divergences were seen.
     *
     * @return the totals, also passed to {@link Sink#finished}
     */
    public Sink.Stats run(long seed, AbiVersion abi, Budget budget, FuzzConfig cfg, Sink sink) {
        ActionGenerator gen = new ActionGenerator(seed, abi, cfg.generator().withModelOptions(options));
        RunState st = new RunState(seed, abi, cfg, sink);
        long start = nanoClock.getAsLong();
        long deadline = start + Math.min(budget.time().toNanos(), Long.MAX_VALUE / 4);
        long lastProgress = start;
        long nextProgressAt = cfg.progressEvery() > 0 ? cfg.progressEvery() : Long.MAX_VALUE;
        String stop;
        PhaseProfile prof = new PhaseProfile();
        EdgeFeedback feedback = cfg.steer() ? coverage.get().orElse(null) : null;
        List<ActionGenerator.Kind> window = new ArrayList<>();
        Steering steering = feedback == null ? null : new Steering(cfg.generator().weights());
        if (feedback != null) {
            sink.info("steering", "on: new edges per action from " + feedback.name());
        }
        st.newSequence();
        prof.lap(PhaseProfile.Phase.NEW_SEQUENCE);
        while (true) {
            if (st.actions >= budget.actions()) {
                stop = "action budget spent";
                break;
            }
            long now = nanoClock.getAsLong();
            if (now - deadline >= 0) {
                stop = "time budget spent";
                break;
            }
            if (now - lastProgress >= cfg.progressInterval().toNanos() || st.actions >= nextProgressAt) {
                sink.progress(progress(st, now - start));
                lastProgress = now;
                if (cfg.progressEvery() > 0) {
                    nextProgressAt = st.actions + cfg.progressEvery();
                }
            }
            if (st.current.size() >= cfg.sequenceLength()) {
                prof.mark();
                st.newSequence();
                prof.lap(PhaseProfile.Phase.NEW_SEQUENCE);
            }
            prof.mark();
            Action a = gen.next(st.model);
            prof.lap(PhaseProfile.Phase.GENERATE);
            Prediction p = st.model.predict(a);
            prof.lap(PhaseProfile.Phase.PREDICT);
            int index = st.current.size();
            sink.action(index, a.toText());
            st.current.add(a);
            prof.lap(PhaseProfile.Phase.WRITE_AHEAD);
            Outcome seen;
            try {
                seen = executor.perform(a);
            } catch (ExecutorException e) {
                st.executorErrors++;
                sink.info("executor-error", "sequence " + st.sequence + " action " + index + " " + a.toText() + ": "
                        + e.getMessage());
                if (st.executorErrors >= 10) {
                    stop = "executor failed 10 times";
                    break;
                }
                st.newSequence();
                continue;
            }
            prof.performed(a);
            st.actions++;
            st.currentObserved.add(seen);
            if (steering != null) {
                window.add(ActionGenerator.Kind.of(a));
                if (window.size() >= STEER_EVERY) {
                    steer(feedback, steering, window, gen);
                }
                prof.lap(PhaseProfile.Phase.STEER);
            }
            if (p.alternatives().isEmpty()) {
                st.hazardsSurvived++;
                sink.info("hazard-survived", "sequence " + st.sequence + " action " + index + " " + a.toText()
                        + ": expected " + p.hazards() + ", observed " + seen);
                st.newSequence();
                continue;
            }
            if (!p.allows(seen)) {
                st.divergences++;
                long t0 = nanoClock.getAsLong();
                if (steering != null) {
                    steer(feedback, steering, window, gen); // before the shrink's replays add theirs
                }
                handleDivergence(st, index, a, p, seen);
                if (feedback != null) {
                    feedback.newEdges(); // what the shrink's replays reached is no action's credit
                }
                st.shrinkNanos += nanoClock.getAsLong() - t0;
                prof.lap(PhaseProfile.Phase.DIVERGENCE);
                if (st.divergences >= cfg.maxDivergences()) {
                    stop = "divergence limit reached";
                    break;
                }
                st.newSequence();
                prof.lap(PhaseProfile.Phase.NEW_SEQUENCE);
                continue;
            }
            st.model.apply(a, seen);
            prof.lap(PhaseProfile.Phase.JUDGE_APPLY);
            if (st.model.approximate()) {
                // States were dropped: a later "divergence" could be a dropped state's doing.
                st.ambiguousEnds++;
                sink.info("ambiguous", "sequence " + st.sequence + " ended after action " + index + " " + a.toText()
                        + ": the model had more than " + options.maxWorlds() + " alternative states");
                st.newSequence();
                prof.lap(PhaseProfile.Phase.NEW_SEQUENCE);
            }
        }
        sink.info("profile", prof.describe(st.actions));
        if (steering != null) {
            sink.info("steering", steering.describe() + String.format(java.util.Locale.ROOT,
                    "; counters read every %d actions, %.0f us a read", STEER_EVERY, feedback.microsPerRead()));
        }
        if (st.ambiguousEnds > 0) {
            sink.info("ambiguous-ends", st.ambiguousEnds + " of " + st.sequences + " sequences ended early: more than "
                    + options.maxWorlds() + " alternative model states");
        }
        executor.reset();
        long elapsed = nanoClock.getAsLong() - start;
        double mainSeconds = Math.max(1e-9, (elapsed - st.shrinkNanos) / 1e9);
        Sink.Stats stats = new Sink.Stats(st.actions, st.sequences, st.divergences, st.distinct, st.hazardsSurvived,
                st.shrinkActions, st.shrinkCandidates, mainSeconds, st.actions / mainSeconds, stop);
        sink.finished(stats);
        return stats;
    }

    /**
     * Counters are read once per {@value #STEER_EVERY} actions (a read costs about as much as an
     * action): each action of the window gets an equal share of what was new.
     */
    static final int STEER_EVERY = 4;

    private static void steer(EdgeFeedback feedback, Steering steering, List<ActionGenerator.Kind> window,
                              ActionGenerator gen) {
        if (window.isEmpty()) {
            return;
        }
        double share = (double) feedback.newEdges() / window.size();
        boolean changed = false;
        for (ActionGenerator.Kind k : window) {
            changed |= steering.report(k, share);
        }
        window.clear();
        if (changed) {
            gen.setWeights(steering.weights());
        }
    }

    private Sink.Progress progress(RunState st, long elapsedNanos) {
        double s = Math.max(1e-9, (elapsedNanos - st.shrinkNanos) / 1e9);
        return new Sink.Progress(st.actions, st.sequences, st.divergences, s, st.actions / s);
    }

    static String divergenceId(long seed, long sequence, int index) {
        return "div-s" + Long.toString(seed).replace('-', 'm') + "-q" + sequence + "-a" + index;
    }

    private void handleDivergence(RunState st, int index, Action a, Prediction p, Outcome seen) {
        String sig = Verdicts.signature(a, p, seen);
        String id = divergenceId(st.seed, st.sequence, index);
        st.sink.divergence(new Sink.Divergence(id, st.seed, st.sequence, index, a.toText(), p.toString(),
                seen.toString(), p.diff(seen), sig, texts(st.current)));
        if (!st.signatures.add(sig)) {
            st.sink.info("divergence-repeat", id + ": " + sig + " (already reported; not shrunk)");
            return;
        }
        st.distinct++;
        List<Action> list = List.copyOf(st.current);
        List<Outcome> observed = List.copyOf(st.currentObserved);
        if (st.cfg.shrink()) {
            ReplayResult shrunk = shrink(st, id, list, sig);
            if (shrunk != null) {
                list = shrunk.executed();
                observed = shrunk.observed();
            }
        }
        Reproducers.Subject subject = new Reproducers.Subject(id, sig, st.abi, options, layout.arenaBase(),
                st.cfg.rerunCommand(), st.seed);
        for (Reproducers.File f : Reproducers.all(subject, list, observed)) {
            st.sink.reproducer(f.name(), f.content());
        }
    }

    /**
     * Shrinks a failing list in the guest: every candidate is replayed from a fresh state; the
     * predicate is "diverges again with the same {@link Verdicts#signature}". Returns the replay
     * of the smallest failing list, or null if the failure did not replay at all.
     */
    private ReplayResult shrink(RunState st, String id, List<Action> failing, String sig) {
        Replayer replayer = new Replayer(executor, () -> newModel(st.abi), st.sink, this::sequenceId);
        Replayer.HazardPolicy policy = st.cfg.exploreHazards() ? Replayer.HazardPolicy.NON_FATAL
                : Replayer.HazardPolicy.AVOID;
        long start = nanoClock.getAsLong();
        long deadline = start + st.cfg.shrinkTime().toNanos();
        ReplayResult first = replayer.replay(failing, Sink.SequenceKind.SHRINK, policy);
        st.shrinkCandidates++;
        if (!first.diverged() || !sig.equals(first.signature())) {
            st.shrinkActions += replayer.actionsExecuted();
            st.sink.info("shrink", id + ": the failure did not replay (" + first.status()
                    + (first.signature() != null ? ", " + first.signature() : "") + "); reproducers use the full list");
            return null;
        }
        ReplayResult[] best = {first};
        long[] candidates = {0};
        Shrinker shrinker = new Shrinker(st.abi, options);
        try {
            shrinker.shrink(first.executed(), candidate -> {
                if (nanoClock.getAsLong() - deadline >= 0) {
                    // stop at once: the shrinker would go on repairing candidates (a model replay
                    // each) until its call budget is spent
                    throw new ShrinkDeadline();
                }
                candidates[0]++;
                ReplayResult r = replayer.replay(candidate, Sink.SequenceKind.SHRINK, policy);
                boolean same = r.status() == Status.DIVERGED && sig.equals(r.signature());
                if (same) {
                    best[0] = r;
                }
                return same;
            }, st.cfg.shrinkBudget());
        } catch (ShrinkDeadline timeUp) {
            st.sink.info("shrink", id + ": time budget of " + st.cfg.shrinkTime().toSeconds() + " s spent");
        }
        st.shrinkCandidates += candidates[0];
        st.shrinkActions += replayer.actionsExecuted();
        double secs = (nanoClock.getAsLong() - start) / 1e9;
        st.sink.info("shrink", id + ": " + failing.size() + " -> " + best[0].steps().size() + " actions, "
                + (candidates[0] + 1) + " replays, " + String.format("%.1f s", secs));
        return best[0];
    }

    /**
     * Replays a list once from a fresh state (replay mode: the host shrinks kernel crashes across
     * fresh VMs and sends candidate lists). A divergence is reported through the sink; nothing is
     * shrunk here.
     */
    public ReplayResult replay(AbiVersion abi, List<Action> actions, Replayer.HazardPolicy policy, Sink sink) {
        long start = nanoClock.getAsLong();
        Replayer replayer = new Replayer(executor, () -> newModel(abi), sink, this::sequenceId);
        ReplayResult r = replayer.replay(actions, Sink.SequenceKind.REPLAY, policy);
        if (r.diverged() || r.status() == Status.HAZARD_SURVIVED) {
            ReplayResult.Step s = r.last();
            String id = "replay-a" + s.index();
            sink.divergence(new Sink.Divergence(id, 0, -1, s.index(), s.action().toText(), s.prediction().toString(),
                    s.observed().toString(), s.prediction().diff(s.observed()), r.signature(), texts(r.executed())));
        }
        if (!r.skipped().isEmpty()) {
            sink.info("replay-skipped", String.join("; ", r.skipped()));
        }
        if (r.status() != Status.AGREED && r.status() != Status.DIVERGED) {
            sink.info("replay-stopped", r.note());
        }
        executor.reset();
        double secs = Math.max(1e-9, (nanoClock.getAsLong() - start) / 1e9);
        int n = r.steps().size();
        sink.finished(new Sink.Stats(n, 1, r.diverged() ? 1 : 0, r.diverged() ? 1 : 0,
                r.status() == Status.HAZARD_SURVIVED ? 1 : 0, 0, 0, secs, n / secs, "replay " + r.status()));
        return r;
    }

    /** Ends a shrink whose time is up; the best list found so far is kept. */
    private static final class ShrinkDeadline extends RuntimeException {
        ShrinkDeadline() {
            super(null, null, false, false);
        }
    }

    /**
     * Replays a list once and, if it diverges, handles the divergence as the main run does: reports
     * it, shrinks it in the guest (within {@code cfg}'s shrink budget) and emits its reproducers.
     * For re-shrinking a reproducer with a larger budget, or a list from elsewhere.
     */
    public ReplayResult replayAndShrink(AbiVersion abi, List<Action> actions, FuzzConfig cfg, Sink sink) {
        long start = nanoClock.getAsLong();
        RunState st = new RunState(0, abi, cfg, sink);
        Replayer.HazardPolicy policy = cfg.exploreHazards() ? Replayer.HazardPolicy.NON_FATAL
                : Replayer.HazardPolicy.AVOID;
        ReplayResult r = new Replayer(executor, () -> newModel(abi), sink, this::sequenceId)
                .replay(actions, Sink.SequenceKind.REPLAY, policy);
        if (r.status() != Status.AGREED && r.status() != Status.DIVERGED) {
            sink.info("replay-stopped", r.note());
        }
        if (r.diverged()) {
            ReplayResult.Step last = r.last();
            st.sequence = lastSequenceId();
            st.current.addAll(r.executed());
            st.currentObserved.addAll(r.observed());
            st.divergences++;
            handleDivergence(st, last.index(), last.action(), last.prediction(), last.observed());
        }
        executor.reset();
        double secs = Math.max(1e-9, (nanoClock.getAsLong() - start) / 1e9);
        sink.finished(new Sink.Stats(r.steps().size(), 1, st.divergences, st.distinct, 0, st.shrinkActions,
                st.shrinkCandidates, secs, r.steps().size() / secs, "replay " + r.status()));
        return r;
    }

    static List<String> texts(List<Action> actions) {
        List<String> out = new ArrayList<>();
        for (Action a : actions) {
            out.add(a.toText());
        }
        return out;
    }
}
