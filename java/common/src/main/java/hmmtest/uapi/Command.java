package hmmtest.uapi;

import java.util.Optional;

/**
 * The dmirror ioctls of {@code lib/test_hmm_uapi.h}: the one Java definition of their numbers, the
 * command block they pass and the ABI version that introduced each. The one C definition is
 * {@code native/include/hmm_dmirror_uapi.h}; {@code UapiHeaderTest} keeps the two equal.
 *
 * <p>Every command is {@code _IOWR('H', nr, struct hmm_dmirror_cmd)} = 0xC0284800 + nr on x86-64,
 * held in a long so that it is never sign-extended by accident (docs/model-spec.md §1.2).
 */
public enum Command {
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

    /**
     * {@code struct hmm_dmirror_cmd}: five {@code __u64}, in this order. {@code cpages} and
     * {@code faults} are written back by the driver.
     */
    public static final int OFFSET_ADDR = 0;
    public static final int OFFSET_PTR = 8;
    public static final int OFFSET_NPAGES = 16;
    public static final int OFFSET_CPAGES = 24;
    public static final int OFFSET_FAULTS = 32;
    /** {@code sizeof(struct hmm_dmirror_cmd)}. */
    public static final int BLOCK_SIZE = 40;

    /** The ioctl type letter. */
    public static final char TYPE = 'H';

    /** {@code HMM_DMIRROR_FLAG_FAIL_ALLOC}: the FLAGS bit that makes device page allocation fail (7.3, §1.3). */
    public static final long FLAG_FAIL_ALLOC = 1L;

    private final int nr;
    private final AbiVersion since;

    Command(int nr, AbiVersion since) {
        this.nr = nr;
        this.since = since;
    }

    public int nr() {
        return nr;
    }

    /** The first ABI version that has the command. */
    public AbiVersion since() {
        return since;
    }

    /** The ioctl request number as an unsigned 32-bit value in a long. */
    public long request() {
        return request(nr);
    }

    /** The request for any command number, known to the driver or not (negative tests, fuzzing). */
    public static long request(int nr) {
        return ioc(3, TYPE, nr & 0xFF, BLOCK_SIZE);
    }

    /** {@code _IOC(dir, type, nr, size)} = dir<<30 | size<<16 | type<<8 | nr (asm-generic/ioctl.h). */
    public static long ioc(long dir, char type, int nr, int size) {
        return (dir << 30) | ((long) size << 16) | ((long) type << 8) | nr;
    }

    public static Optional<Command> of(int nr) {
        for (Command c : values()) {
            if (c.nr == nr) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Commands that copy {@code npages*4096} bytes to {@code ptr} on success (§3.12). */
    public boolean writesPageBuffer() {
        return this == READ || this == READ_UNLOCKED || this == MIGRATE_TO_DEV || this == EXCLUSIVE;
    }

    /** WRITE reads {@code npages*4096} bytes from {@code ptr} (§3.3). */
    public boolean readsPageBuffer() {
        return this == WRITE;
    }
}
