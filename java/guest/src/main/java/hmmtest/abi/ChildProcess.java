package hmmtest.abi;

import hmmtest.uapi.Errno;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A child forked by a {@link NativeHelpers} helper. The child writes a report (which check
 * failed, where, expected and actual values) into a shared page the parent reads after reaping
 * it. Closing kills and reaps a child that is still running, so a failed test never leaves one.
 */
public final class ChildProcess implements AutoCloseable {
    /** enum hmmtest_step of native/lib/hmmtest_native.h, by value. */
    private static final String[] STEPS = {
        "ok",
        "ptr[i] == i (the child sees the parent's values)",
        "mirror[i] == -i (the data the device will write)",
        "open(/dev/hmm_dmirrorN)",
        "HMM_DMIRROR_WRITE == 0",
        "cpages == npages",
        "faults == 1",
        "ptr[i] == -i (what the device wrote)",
        "ptr[i]++ == i",
        "ptr[i] == i + 1",
    };

    private final String what;
    private final int pid;
    private final Mapping report;
    private WaitStatus status;

    private ChildProcess(String what, int pid, Mapping report) {
        this.what = what;
        this.pid = pid;
        this.report = report;
    }

    static Mapping reportPage() {
        return Mapping.anonymousShared(Sys.PAGE_SIZE, Sys.PROT_READ | Sys.PROT_WRITE);
    }

    static ChildProcess started(String what, int pid, Mapping report) {
        if (pid < 0) {
            report.close();
            throw new ErrnoException("fork (" + what + ")", -pid);
        }
        return new ChildProcess(what, pid, report);
    }

    public int pid() {
        return pid;
    }

    /** kill(pid, sig): 0 or -errno. */
    public int kill(int sig) {
        return Sys.kill(pid, sig);
    }

    /**
     * waitpid() until the child ends or {@code timeoutMs} passes; on timeout the child is killed
     * with SIGKILL and reaped, and an AssertionError says so (a hung child is a failed test).
     */
    public WaitStatus waitFor(long timeoutMs) {
        if (status != null) {
            return status;
        }
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        for (;;) {
            WaitStatus s = Sys.waitpid(pid, Sys.WNOHANG);
            if (s != null) {
                status = s;
                return s;
            }
            if (System.nanoTime() > deadline) {
                Sys.kill(pid, Sys.SIGKILL);
                status = Sys.waitpid(pid, 0);
                throw new AssertionError(what + " " + pid + " still running after " + timeoutMs + " ms; killed");
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The check that failed in the child, or "ok"; with the index and values it saw. */
    public String report() {
        ByteBuffer b = report.bytes().order(ByteOrder.nativeOrder());
        int step = b.getInt(0);
        if (step == 0) {
            return "ok";
        }
        String name = step > 0 && step < STEPS.length ? STEPS[step] : "step " + step;
        int err = b.getInt(4);
        long index = b.getLong(8);
        return "check failed in the child: " + name
                + (err != 0 ? ", " + Errno.describe(err) : "")
                + (index >= 0 ? ", at i=" + index : "")
                + ", expected " + b.getLong(16) + ", got " + b.getLong(24);
    }

    /** "pid 123 exited with 0 (ok)": for assertion messages. */
    public String describe() {
        return what + " " + pid + " " + (status == null ? "not reaped" : status) + " (" + report() + ")";
    }

    @Override
    public void close() {
        if (status == null) {
            Sys.kill(pid, Sys.SIGKILL);
            try {
                status = Sys.waitpid(pid, 0);
            } catch (ErrnoException e) {
                // already reaped elsewhere
            }
        }
        report.close();
    }
}
