package hmmtest.vm;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A running guest as the session sees it: two streams of lines (the kernel console and the
 * guest's result channel), a way to wait for its end, a magic SysRq key, and a stop. QEMU is the
 * product's one implementation ({@link QemuVm}); the session's unit tests script one.
 */
public interface Vm extends AutoCloseable {

    /** Receives the two streams; called from the console thread and the waiting thread. */
    interface Listener {
        void consoleLine(String line);

        /**
         * One line of the guest's result channel, as written (the session decodes it). The last
         * line of a VM that died mid-write comes without its newline, when the VM has exited.
         */
        void resultLine(String line);
    }

    /** How the guest ended: its exit code, or the wait timed out, or {@code stop} asked to end it. */
    record Exit(Integer exitCode, boolean timedOut, boolean stopped) {}

    /** Feeds result lines to {@code listener} until the VM exits, {@code timeout} passes or {@code stop} says so. */
    Exit await(Duration timeout, Listener listener, BooleanSupplier stop);

    /** Sends a magic SysRq key (w: blocked tasks, l: CPU backtraces). */
    void sysrq(char key);

    /**
     * The guest's control port as a byte stream both ways, connected on first use and kept for the
     * VM's life: work orders go in, and the host engine's actions and the guest executor's replies
     * go over it. Closed when the VM is closed (a reader blocked on it then fails).
     */
    default java.nio.channels.ByteChannel control() throws java.io.IOException {
        throw new UnsupportedOperationException("this VM has no control port");
    }

    /** Host time since the VM started. */
    Duration sinceStart();

    /**
     * CPU time the VM has consumed on the host so far. A guest that is running uses some even when
     * idle (timer ticks); none at all over a stretch of host time means the VM did not run: its host
     * paused, suspended or starved it.
     */
    Duration cpuTime();

    /** Stops the VM if it still runs, and returns once every console line has been delivered. */
    @Override
    void close();
}
