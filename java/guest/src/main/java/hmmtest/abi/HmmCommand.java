package hmmtest.abi;

/**
 * The test_hmm ioctls ({@code lib/test_hmm_uapi.h}). Every command is
 * {@code _IOWR('H', nr, struct hmm_dmirror_cmd)} = 0xC0284800 + nr on x86-64, passed as a long so
 * it is not sign-extended by accident.
 */
public enum HmmCommand {
    READ(0x00, AbiVersion.V6_12),
    WRITE(0x01, AbiVersion.V6_12),
    MIGRATE_TO_DEV(0x02, AbiVersion.V6_12),
    MIGRATE_TO_SYS(0x03, AbiVersion.V6_12),
    SNAPSHOT(0x04, AbiVersion.V6_12),
    EXCLUSIVE(0x05, AbiVersion.V6_12),
    CHECK_EXCLUSIVE(0x06, AbiVersion.V6_12),
    RELEASE(0x07, AbiVersion.V6_12),
    FLAGS(0x08, AbiVersion.V7_3),
    READ_UNLOCKED(0x09, AbiVersion.V7_3);

    /** sizeof(struct hmm_dmirror_cmd): five __u64. */
    public static final int CMD_SIZE = 40;
    private static final long IOWR = 3L << 30;

    public final int nr;
    /** The first ABI version that has the command. */
    public final AbiVersion since;

    HmmCommand(int nr, AbiVersion since) {
        this.nr = nr;
        this.since = since;
    }

    /** _IOC(dir, type, nr, size) = dir<<30 | size<<16 | type<<8 | nr. */
    public static long ioc(long dir, char type, int nr, int size) {
        return (dir << 30) | ((long) size << 16) | ((long) type << 8) | nr;
    }

    public long request() {
        return ioc(3, 'H', nr, CMD_SIZE);
    }

    /** A command number the driver does not know, for negative tests. */
    public static long unknownRequest(int nr) {
        return IOWR | ((long) CMD_SIZE << 16) | ((long) 'H' << 8) | nr;
    }
}
