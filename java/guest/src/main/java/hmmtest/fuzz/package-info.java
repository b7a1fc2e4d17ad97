/**
 * Differential testing of the real {@code test_hmm} driver against the reference model
 * ({@link hmmtest.model}), inside the guest.
 *
 * <h2>Entry point for the guest harness</h2>
 *
 * <pre>{@code
 * Sink.Stats stats = FuzzEntry.run(args, sink);          // fuzz, replay or shrink; see FuzzEntry.usage()
 * Sink.Stats stats = FuzzEntry.run(FuzzEntry.Request.fuzz(seed, Budget.seconds(300), FuzzConfig.defaults()), sink);
 * ReplayResult r = FuzzEntry.replay(actions, sink);      // one list, every hazard executed (crash reproduction)
 * }</pre>
 *
 * The caller implements {@link hmmtest.fuzz.Sink}: {@code sequence} (a fresh state begins),
 * {@code action} (write-ahead, before every action, the hot path), {@code divergence},
 * {@code reproducer} (file name and content), {@code progress}, {@code finished} and {@code info}.
 * After a kernel crash, the actions written ahead since the last {@code sequence} call are a
 * complete reproducer for {@link hmmtest.fuzz.FuzzEntry#replay} in a fresh VM.
 *
 * <h2>Pieces</h2>
 *
 * <ul>
 *   <li>{@link hmmtest.fuzz.RealExecutor}: performs one {@link hmmtest.model.Action} and returns
 *       the observed {@link hmmtest.model.Outcome} (fixed-address mappings in the model's arena,
 *       poisoned buffers with guard pages, fork with the child's write in C:
 *       {@code native/lib/fuzz_helpers.c}, bound by {@code FuzzNative}).
 *   <li>{@link hmmtest.fuzz.DifferentialRun}: generator, model and executor in lock step; a
 *       divergence is reported, shrunk in the guest (each candidate replayed from a fresh state by
 *       {@link hmmtest.fuzz.Replayer}; predicate: the same {@link hmmtest.fuzz.Verdicts#signature})
 *       and turned into {@link hmmtest.fuzz.Reproducers} (action list, JUnit class, C program,
 *       rerun line).
 *   <li>{@link hmmtest.fuzz.Machine} and {@link hmmtest.fuzz.MachineSetup}: the ABI (probed), RAM,
 *       devices and a free arena; the sysfs knobs the predictions assume, restored afterwards.
 * </ul>
 *
 * Host unit tests drive the runner with a deterministic fake executor (test sources only) and
 * check the process-side half of the real executor on the host kernel.
 */
package hmmtest.fuzz;

import hmmtest.repro.Reproducers;
