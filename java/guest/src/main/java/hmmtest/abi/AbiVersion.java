package hmmtest.abi;

/**
 * The test_hmm ABI generations: 6.12 (before the make_device_exclusive() series) and 7.3 (after;
 * adds FLAGS and READ_UNLOCKED, EXCLUSIVE reports real errnos). Detected on the running kernel by
 * {@link Dmirror#probeAbi}, never assumed.
 */
public enum AbiVersion {
    V6_12, V7_3;

    public boolean has(HmmCommand c) {
        return compareTo(c.since) >= 0;
    }
}
