package hmmtest.model;

/** SNAPSHOT byte values (hmm-abi.md §1.3), composed as {@code base | READ/WRITE | PMD/PUD}. */
public final class SnapshotByte {
    public static final int ERROR = 0xFF;
    public static final int NONE = 0x00;
    public static final int READ = 0x01;
    public static final int WRITE = 0x02;
    public static final int PMD = 0x04;
    public static final int PUD = 0x08;
    public static final int ZERO = 0x10;
    public static final int DEV_PRIVATE_LOCAL = 0x20;
    public static final int DEV_PRIVATE_REMOTE = 0x30;
    public static final int DEV_COHERENT_LOCAL = 0x40;
    public static final int DEV_COHERENT_REMOTE = 0x50;

    /** Pre-filled into the executor's snapshot buffer; not a value the driver can produce. */
    public static final int POISON = 0xEE;

    private SnapshotByte() {}
}
