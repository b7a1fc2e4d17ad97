package hmmtest.engine;

import hmmtest.model.Action;
import hmmtest.model.Outcome;

/**
 * Performs model actions on a system and reports what it observed, in the form the model predicts
 * ({@link Outcome}). The product has two: the guest's RealExecutor (through JNA, in the
 * guest JVM) and the host's RemoteExecutor (a C executor in the guest,
 * driven over the control port); host unit tests use a fake one.
 */
public interface Executor extends AutoCloseable {

    /**
     * Performs one action. The caller guarantees the model accepts it in the current state (no
     * SIGSEGV-ing CPU access, the fd handle is open).
     *
     * @throws ExecutorException if the executor itself could not do its part (not a kernel verdict)
     */
    Outcome perform(Action a);

    /** Tears down everything the actions created (fds closed, arena unmapped): a fresh state. */
    void reset();

    @Override
    void close();
}
