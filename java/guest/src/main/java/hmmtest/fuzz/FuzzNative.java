package hmmtest.fuzz;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * JNA binding of {@code native/lib/fuzz_helpers.c} (compiled into libhmmtest_native.so). Loaded on
 * first use only, so host tests of the runner's logic never need the library.
 */
final class FuzzNative {
    /** Must match HMMFUZZ_ABI in native/lib/fuzz_helpers.h. */
    static final int EXPECTED_ABI = 3;

    static {
        Native.register(FuzzNative.class, NativeLibrary.getInstance("hmmtest_native"));
        int abi = hmmfuzz_abi();
        if (abi != EXPECTED_ABI) {
            throw new IllegalStateException("libhmmtest_native has fuzz helper ABI " + abi + ", expected "
                    + EXPECTED_ABI + ": the guest image holds a stale native library");
        }
    }

    private FuzzNative() {}

    static native int hmmfuzz_abi();

    /** fork; the child fills the page at addr with token's pattern and exits. Wait status or -errno. */
    static native int hmmfuzz_fork_write(long addr, long token);

    /** open(path) by a clone that shares the fd table and exits: the fd, bound to a dead mm, or -errno. */
    static native int hmmfuzz_open_orphan(String path);

    /** A memfd of size bytes: fd or -errno. */
    static native int hmmfuzz_memfd(long size);

    /** Page i of npages at addr gets token + i * step's content pattern ({@link hmmtest.model.PageContent#fill}). */
    static native void hmmfuzz_fill_pages(long addr, long npages, long token, long step);

    /** out[i]: the token page i holds, or garbled ({@link hmmtest.model.PageContent#decode}). */
    static native void hmmfuzz_decode_pages(long addr, long npages, long[] out, long garbled);

    static void load() {
        // the static initialiser does the work
    }
}
