package hmmtest.model;

/**
 * The two driver/kernel versions the model knows (hmm-abi.md §1.5).
 *
 * <p>Only behaviour that userspace can see differs: two extra commands in 7.3, the work-chunk sizes
 * (which decide how much survives a partial failure), EXCLUSIVE (§5) and THP-granular migration.
 */
public enum AbiVersion {
    /** Linux 6.12.117: {@code make_device_exclusive_range()}, 64-page chunks everywhere (§1.3). */
    V6_12(64, 64),
    /** Linux 7.3.4: {@code make_device_exclusive()}, 32-page fault chunks, 512-page migrate chunks (§1.3). */
    V7_3(32, 512);

    private final int faultChunkPages;
    private final int migrateChunkPages;

    AbiVersion(int faultChunkPages, int migrateChunkPages) {
        this.faultChunkPages = faultChunkPages;
        this.migrateChunkPages = migrateChunkPages;
    }

    /** Pages per {@code hmm_range_fault} call in READ/WRITE faults and SNAPSHOT (§1.3). */
    public int faultChunkPages() {
        return faultChunkPages;
    }

    /** Pages per {@code migrate_vma_setup} call in MIGRATE_TO_DEV/SYS (§3.5, §3.6). */
    public int migrateChunkPages() {
        return migrateChunkPages;
    }

    /** FLAGS (0x08) and READ_UNLOCKED (0x09) exist only in 7.3; 6.12 answers EINVAL (§1.2). */
    public boolean supports(Command c) {
        return this == V7_3 || c.nr() <= Command.RELEASE.nr();
    }
}
