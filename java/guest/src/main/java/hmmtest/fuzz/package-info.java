/**
 * The guest's half of differential testing: the machine under test and the executor that
 * performs the model's actions on the real {@code test_hmm} driver through JNA. The engine itself
 * (generator, model and executor in lock step, shrinking, verdicts) is {@link hmmtest.engine}.
 *
 * <ul>
 *   <li>{@link hmmtest.fuzz.FuzzEntry}: the guest engine's entry point (fuzz, replay, shrink;
 *       arguments are {@link hmmtest.engine.FuzzRequest}'s), reporting to a
 *       {@link hmmtest.engine.Sink}.
 *   <li>{@link hmmtest.fuzz.RealExecutor}: performs one {@link hmmtest.model.Action} and returns
 *       the observed {@link hmmtest.model.Outcome} (fixed-address mappings in the model's arena,
 *       poisoned buffers with guard pages, fork with the child's write in C:
 *       {@code native/lib/fuzz_helpers.c}, bound by {@code FuzzNative}).
 *   <li>{@link hmmtest.fuzz.Machine} and {@link hmmtest.fuzz.MachineSetup}: the ABI (probed), RAM,
 *       devices and a free arena; the sysfs knobs the predictions assume, restored afterwards.
 *   <li>{@link hmmtest.fuzz.CoverageFeedback}: new driver edges from a coverage kernel's gcov
 *       counters, for steering.
 * </ul>
 *
 * The host's engine runs the same {@link hmmtest.engine.DifferentialRun} on the host instead, with
 * the C executor {@code native/exec/hmmfuzz_exec.c} in the guest (started by the guest's
 * {@code executor} mode after {@link hmmtest.fuzz.Machine} and {@link hmmtest.fuzz.MachineSetup}).
 */
package hmmtest.fuzz;
