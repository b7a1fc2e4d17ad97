/**
 * The differential engine: the seeded generator proposes an action for the reference model's
 * state, the model predicts, an {@link hmmtest.engine.Executor} performs it on a real driver, and
 * {@link hmmtest.model.Prediction#allows} judges. Pure Java, so the same engine runs in the guest
 * (with the JNA executor) or on the host (with the guest's C executor over the control port).
 *
 * <pre>{@code
 * FuzzRequest r = FuzzRequest.parse(args);                      // the one parser of fuzz arguments
 * Sink.Stats s = new DifferentialRun(executor, options, layout).run(r.seed(), abi, r.budget(), r.config(), sink);
 * }</pre>
 *
 * <ul>
 *   <li>{@link hmmtest.engine.DifferentialRun}: the main loop; a divergence is reported, shrunk by
 *       replaying candidates from a fresh state ({@link hmmtest.engine.Replayer}; predicate: the
 *       same {@link hmmtest.engine.Verdicts#signature}) and turned into reproducers.
 *   <li>{@link hmmtest.engine.Sink}: where the run reports (write-ahead of every action, divergences,
 *       reproducers, progress, totals); {@link hmmtest.engine.RecordSink} encodes that as the result
 *       records the host's log reads.
 *   <li>{@link hmmtest.engine.PhaseProfile}: where the time goes, reported at the end of a run.
 * </ul>
 *
 * Deterministic: with an executor that answers the same way, the same seed gives the same actions
 * and verdicts whichever side the engine runs on. Unit tests drive it with a fake executor.
 */
package hmmtest.engine;
