package hmmtest.uapi;

/**
 * The two driver generations (docs/model-spec.md §1.5): 6.12, before the make_device_exclusive()
 * series, and 7.3, after it. Detected on the running kernel by probing FLAGS, never assumed.
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

    /** Whether this version's driver knows the command; the other answers EINVAL (§1.2). */
    public boolean supports(Command c) {
        return compareTo(c.since()) >= 0;
    }
}
