package hmmtest.model;

import java.util.Optional;

/** The ioctl commands of {@code lib/test_hmm_uapi.h} (hmm-abi.md §1.2). */
public enum Command {
    READ(0x00),
    WRITE(0x01),
    MIGRATE_TO_DEV(0x02),
    MIGRATE_TO_SYS(0x03),
    SNAPSHOT(0x04),
    EXCLUSIVE(0x05),
    CHECK_EXCLUSIVE(0x06),
    RELEASE(0x07),
    FLAGS(0x08),
    READ_UNLOCKED(0x09);

    /** {@code _IOWR('H', 0, struct hmm_dmirror_cmd)}: dir 3, size 40, type 'H' (§1.2). */
    public static final long REQUEST_BASE = 0xC0284800L;

    /** {@code HMM_DMIRROR_FLAG_FAIL_ALLOC} (7.3 only, §1.3). */
    public static final long FLAG_FAIL_ALLOC = 1L;

    private final int nr;

    Command(int nr) {
        this.nr = nr;
    }

    public int nr() {
        return nr;
    }

    /** The ioctl request number as an unsigned 32-bit value in a long. */
    public long request() {
        return request(nr);
    }

    public static long request(int nr) {
        return REQUEST_BASE + (nr & 0xFF);
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
