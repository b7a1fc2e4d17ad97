package hmmtest.engine;

import hmmtest.model.gen.ActionGenerator;
import java.time.Duration;

/**
 * Settings of a fuzz run.
 *
 * @param generator what the generator proposes ({@link ActionGenerator.Config#exploreHazards()}
 *     included: off, actions that reach a §3.14 hazard are never proposed)
 * @param sequenceLength main-run actions per sequence: the state is torn down after this many, so
 *     a crash or divergence never needs more than this to reproduce
 * @param shrink shrink divergences in the guest
 * @param shrinkBudget replays per divergence at most
 * @param shrinkTime wall time per divergence at most
 * @param maxDivergences the run stops after this many divergences
 * @param progressEvery a progress report every this many main-run actions (0: never by count)
 * @param progressInterval and at least this often
 * @param rerunCommand the caller's command that reruns a failure, for reproducers; placeholders
 *     {@code {seed}}, {@code {actions}} (the actions file) and {@code {name}}
 * @param steer on a coverage kernel, adapt the generator's weights to the kernel edges each kind
 *     of action reaches first ({@link hmmtest.model.gen.Steering}); no effect on other kernels. Off
 *     by default: side by side in 10-minute runs it reached no more than the fixed weights
 */
public record FuzzConfig(ActionGenerator.Config generator, int sequenceLength, boolean shrink, int shrinkBudget,
                         Duration shrinkTime, int maxDivergences, int progressEvery, Duration progressInterval,
                         String rerunCommand, boolean steer) {

    public FuzzConfig {
        if (sequenceLength < 1 || shrinkBudget < 0 || maxDivergences < 1 || progressEvery < 0) {
            throw new IllegalArgumentException("bad fuzz config");
        }
    }

    public static FuzzConfig defaults() {
        return new FuzzConfig(ActionGenerator.Config.defaults(), 300, true, 150, Duration.ofSeconds(120), 5, 1000,
                Duration.ofSeconds(15), "", false);
    }

    public boolean exploreHazards() {
        return generator.exploreHazards();
    }

    public FuzzConfig withGenerator(ActionGenerator.Config g) {
        return new FuzzConfig(g, sequenceLength, shrink, shrinkBudget, shrinkTime, maxDivergences, progressEvery,
                progressInterval, rerunCommand, steer);
    }

    public FuzzConfig withSequenceLength(int n) {
        return new FuzzConfig(generator, n, shrink, shrinkBudget, shrinkTime, maxDivergences, progressEvery,
                progressInterval, rerunCommand, steer);
    }

    public FuzzConfig withShrink(boolean s, int budget, Duration time) {
        return new FuzzConfig(generator, sequenceLength, s, budget, time, maxDivergences, progressEvery,
                progressInterval, rerunCommand, steer);
    }

    public FuzzConfig withMaxDivergences(int n) {
        return new FuzzConfig(generator, sequenceLength, shrink, shrinkBudget, shrinkTime, n, progressEvery,
                progressInterval, rerunCommand, steer);
    }

    public FuzzConfig withProgress(int every, Duration interval) {
        return new FuzzConfig(generator, sequenceLength, shrink, shrinkBudget, shrinkTime, maxDivergences, every,
                interval, rerunCommand, steer);
    }

    public FuzzConfig withSteer(boolean s) {
        return new FuzzConfig(generator, sequenceLength, shrink, shrinkBudget, shrinkTime, maxDivergences,
                progressEvery, progressInterval, rerunCommand, s);
    }

    public FuzzConfig withRerunCommand(String r) {
        return new FuzzConfig(generator, sequenceLength, shrink, shrinkBudget, shrinkTime, maxDivergences,
                progressEvery, progressInterval, r, steer);
    }
}
