package hmmtest.engine;

import java.util.List;

/**
 * Where a fuzz or replay run reports, implemented by the guest harness on top of the result
 * channel. Calls come from the run's single thread, in order.
 *
 * <p>Actions are executed in <em>sequences</em>: each starts from a fresh state (every fd closed,
 * the arena unmapped) and numbers its actions from 0. A main fuzz sequence ends at a divergence or
 * after {@link FuzzConfig#sequenceLength()} actions; every shrink candidate and every replay is a
 * sequence of its own. So if the kernel dies, the actions written ahead since the last
 * {@link #sequence} call are, in order, a complete reproducer to replay in a fresh VM.
 */
public interface Sink {

    enum SequenceKind {
        /** Generated actions of the main run. */
        FUZZ,
        /** A candidate list of the in-guest shrinker (or the check that the failure replays). */
        SHRINK,
        /** A list given to {@link DifferentialRun#replay}. */
        REPLAY
    }

    /** A fresh state begins; the actions that follow are numbered from 0. */
    void sequence(long id, SequenceKind kind);

    /**
     * Write-ahead: called right before the action runs, so a kernel crash is pinned on it. This
     * is the hot path: one call per action.
     */
    void action(int index, String text);

    /** The kernel did something the model does not allow (reported before any shrinking). */
    void divergence(Divergence d);

    /** A reproducer file for a divergence: a name (no directories) and its text. */
    void reproducer(String name, String content);

    /** Periodic counters of the main run. */
    void progress(Progress p);

    /** The run ended. */
    void finished(Stats s);

    /** Facts about the run (machine setup, ABI, arena); keys are short words. */
    default void info(String key, String value) {}

    /**
     * One divergence.
     *
     * @param id short name, also the prefix of its reproducer files
     * @param seed the run's seed
     * @param sequence the id of the sequence it happened in
     * @param index the diverging action's index in the sequence
     * @param action the diverging action's text
     * @param predicted the outcomes the model allowed (or the hazard it expected)
     * @param observed what the kernel did
     * @param diff readable diff against the closest allowed outcome, with the rules that allowed it
     * @param signature what the shrinker preserves: the action kind and the fields that differ
     * @param actions the sequence's actions up to and including the diverging one
     */
    record Divergence(String id, long seed, long sequence, int index, String action, String predicted,
                      String observed, String diff, String signature, List<String> actions) {
        public Divergence {
            actions = List.copyOf(actions);
        }
    }

    /** Counters of the main run so far. */
    record Progress(long actions, long sequences, long divergences, double seconds, double actionsPerSecond) {}

    /**
     * Totals of a run.
     *
     * @param actions actions executed in the main run (shrink replays not counted)
     * @param sequences main-run sequences started
     * @param divergences divergences seen in the main run
     * @param distinct of them, with a signature not seen before (the ones shrunk)
     * @param hazardsSurvived actions the model said would crash the kernel, which it survived
     * @param shrinkActions actions executed by shrink replays
     * @param shrinkCandidates shrink candidates replayed
     * @param seconds wall time of the main run, shrinking excluded
     * @param actionsPerSecond main-run actions per second of main-run time
     * @param stopReason why the run ended
     */
    record Stats(long actions, long sequences, long divergences, long distinct, long hazardsSurvived,
                 long shrinkActions, long shrinkCandidates, double seconds, double actionsPerSecond,
                 String stopReason) {}
}
