package hmmtest.suite;

import hmmtest.uapi.AbiVersion;
import hmmtest.abi.Dmirror;
import hmmtest.abi.Hugetlb;
import org.junit.jupiter.api.Assumptions;

/** What the running kernel is: its driver ABI (probed once, never assumed) and its hugetlb pool. */
final class Kernel {
    private static String hugetlbSetup;
    private static boolean hugetlbTried;

    private Kernel() {}

    static AbiVersion abi() {
        return Dmirror.runningAbi();
    }

    static boolean is73() {
        return abi() == AbiVersion.V7_3;
    }

    /** SKIPs a test that upstream added after 6.12 when the running driver is the 6.12 one. */
    static void assumeUpstreamTestExists(String test) {
        Assumptions.assumeTrue(is73(), () -> test + " is not in 6.12's hmm-tests.c (added for the 7.x driver); running driver ABI "
                + abi());
    }

    /** SKIPs when the running driver lacks {@code what} (a 7.3 command or behaviour). */
    static void assume73(String what) {
        Assumptions.assumeTrue(is73(), () -> "needs the 7.3 driver (" + what + "); running driver ABI " + abi());
    }

    /**
     * Upstream's HUGETLB_SETUP_DEFAULT_PAGES(1), done once per run on both kernels (6.12's hmm-tests
     * relies on run_vmtests.sh having reserved huge pages instead): null if a default-size huge page
     * is free, else why not.
     */
    static synchronized String hugetlbSetup() {
        if (!hugetlbTried) {
            hugetlbTried = true;
            hugetlbSetup = Hugetlb.setupDefaultPages(1);
        }
        return hugetlbSetup;
    }

    /** Value chosen by the running ABI: {@code v612} on 6.12, {@code v73} on 7.3. */
    static int per(int v612, int v73) {
        return is73() ? v73 : v612;
    }
}
