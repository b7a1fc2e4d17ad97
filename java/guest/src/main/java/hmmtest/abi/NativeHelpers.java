package hmmtest.abi;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * Bindings to native/lib (libhmmtest_native.so, shipped in the guest image at
 * /opt/hmmtest/native). Fork-based helpers live there: after fork() a JVM child may run only
 * async-signal-safe C, never Java.
 */
public final class NativeHelpers {
    /** Must match HMMTEST_NATIVE_ABI in native/lib/hmmtest_native.h. */
    static final int EXPECTED_ABI = 1;

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

    /** Forces loading (and the ABI check). */
    public static void load() {
        // the static initialiser does the work
    }
}
