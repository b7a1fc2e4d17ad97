package hmmtest.abi;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * Bindings to native/lib (libhmmtest_native.so, shipped in the guest image at
 * /opt/hmmtest/native). Fork-based helpers live there: after fork() a JVM child may run only
 * async-signal-safe C, never Java. The contracts are in native/lib/hmmtest_native.h; tests use
 * the typed wrappers below, which return a {@link ChildProcess}.
 */
public final class NativeHelpers {
    /** Must match HMMTEST_NATIVE_ABI in native/lib/hmmtest_native.h. */
    static final int EXPECTED_ABI = 2;

    /** hmmtest_fork_write_child flags. */
    public static final int CHECK_MIRROR = 0x1;
    public static final int CHECK_WRITTEN = 0x2;

    static {
        Native.register(NativeHelpers.class, NativeLibrary.getInstance("hmmtest_native"));
        int abi = hmmtest_native_abi();
        if (abi != EXPECTED_ABI) {
            throw new IllegalStateException("libhmmtest_native ABI " + abi + ", expected " + EXPECTED_ABI
                    + ": the guest image holds a stale native library");
        }
    }

    private NativeHelpers() {}

    static native int hmmtest_native_abi();

    static native int hmmtest_fork_write_child(int device, long ptr, long mirror, long nints, long npages, int flags,
            long report);

    static native int hmmtest_fork_increment_child(long ptr, long nints, long report);

    static native int hmmtest_fork_waiting_child();

    /** Forces loading (and the ABI check). */
    public static void load() {
        // the static initialiser does the work
    }

    /**
     * Forks a child that checks {@code ptr} holds 0,1,2,... (and {@code mirror} holds 0,-1,-2,...
     * with CHECK_MIRROR), opens its own /dev/hmm_dmirror{@code device}, WRITEs {@code npages}
     * from {@code mirror} to {@code ptr}, requires 0 / cpages == npages / faults == 1 (and
     * {@code ptr} == 0,-1,-2,... with CHECK_WRITTEN) and exits 0.
     */
    public static ChildProcess forkWriteChild(int device, Mapping ptr, Mapping mirror, long npages, int flags) {
        Mapping report = ChildProcess.reportPage();
        int pid = hmmtest_fork_write_child(device, ptr.addr(), mirror.addr(), ptr.size() / 4, npages, flags,
                report.addr());
        return ChildProcess.started("write child", pid, report);
    }

    /** Forks a child that increments every int of {@code ptr} (expecting 0,1,2,... before) and checks 1,2,3,... */
    public static ChildProcess forkIncrementChild(Mapping ptr) {
        Mapping report = ChildProcess.reportPage();
        int pid = hmmtest_fork_increment_child(ptr.addr(), ptr.size() / 4, report.addr());
        return ChildProcess.started("increment child", pid, report);
    }

    /** Forks a child that waits in pause() until a signal ends it. */
    public static ChildProcess forkWaitingChild() {
        Mapping report = ChildProcess.reportPage();
        return ChildProcess.started("waiting child", hmmtest_fork_waiting_child(), report);
    }
}
