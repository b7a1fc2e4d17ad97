package hmmtest.uapi;

/**
 * {@code HMM_DMIRROR_PROT_*}: the byte SNAPSHOT reports per page, composed as
 * {@code base | READ/WRITE | PMD/PUD} (docs/model-spec.md §1.3; same values in 6.12 and 7.3).
 */
public final class SnapshotByte {
    /** No valid mirror PTE for this page (hole, PROT_NONE, ...). */
    public static final int ERROR = 0xFF;
    /** Unpopulated PTE or PTE with no access. */
    public static final int NONE = 0x00;
    public static final int READ = 0x01;
    public static final int WRITE = 0x02;
    /** Part of a PMD-sized mapping. */
    public static final int PMD = 0x04;
    /** Part of a PUD-sized mapping. */
    public static final int PUD = 0x08;
    /** The special read-only zero page. */
    public static final int ZERO = 0x10;
    public static final int DEV_PRIVATE_LOCAL = 0x20;
    public static final int DEV_PRIVATE_REMOTE = 0x30;
    public static final int DEV_COHERENT_LOCAL = 0x40;
    public static final int DEV_COHERENT_REMOTE = 0x50;

    /** Pre-filled into the executor's snapshot buffer; not a value the driver can produce. */
    public static final int POISON = 0xEE;

    private SnapshotByte() {}

    /** "DEV_PRIVATE_LOCAL|WRITE|PMD (0x26)": for messages. */
    public static String describe(int b) {
        b &= 0xff;
        if (b == ERROR) {
            return "ERROR (0xff)";
        }
        String base = switch (b & 0xf0) {
            case 0x00 -> "";
            case ZERO -> "ZERO|";
            case DEV_PRIVATE_LOCAL -> "DEV_PRIVATE_LOCAL|";
            case DEV_PRIVATE_REMOTE -> "DEV_PRIVATE_REMOTE|";
            case DEV_COHERENT_LOCAL -> "DEV_COHERENT_LOCAL|";
            case DEV_COHERENT_REMOTE -> "DEV_COHERENT_REMOTE|";
            default -> "0x" + Integer.toHexString(b & 0xf0) + "|";
        };
        String access = (b & WRITE) != 0 ? "WRITE" : (b & READ) != 0 ? "READ" : "NONE";
        String level = (b & PMD) != 0 ? "|PMD" : (b & PUD) != 0 ? "|PUD" : "";
        return base + access + level + " (0x" + Integer.toHexString(b) + ")";
    }
}
