package hmmtest.model;

import hmmtest.uapi.Command;

import java.util.TreeMap;

/**
 * One open {@code /dev/hmm_dmirrorN} file: its {@code struct dmirror} (§3.0). The page table maps a
 * virtual page number to the page the device would access and a tag.
 */
final class Mirror {
    enum Tag {
        /** Untagged entry: read-only. */
        RO,
        /** {@code DPT_XA_TAG_WRITE}. */
        WRITE,
        /** {@code DPT_XA_TAG_ATOMIC} (EXCLUSIVE). */
        ATOMIC
    }

    /**
     * @param devicePage the entry stores a device-private {@code struct page} itself (reported by
     *     {@code hmm_range_fault} for this device's own pages) instead of its backing page: copying
     *     from or to it oopses (hazard H1, §3.14)
     */
    record Entry(int frame, Tag tag, boolean devicePage) {}

    final int fd;
    final int device;
    /** Opened by a child that exited: the notifier's mm is gone, so mmget_not_zero fails (§2.5). */
    final boolean orphan;
    /** The fd is open; a device-file mapping can keep the file alive after close (§2.4). */
    boolean fdOpen = true;
    /** Mappings of this file (each holds a file reference). */
    int mapRefs;
    /** 7.3 {@code dmirror->flags} (§3.11). */
    long flags;
    final TreeMap<Long, Entry> pt = new TreeMap<>();

    Mirror(int fd, int device) {
        this(fd, device, false);
    }

    Mirror(int fd, int device, boolean orphan) {
        this.fd = fd;
        this.device = device;
        this.orphan = orphan;
    }

    Mirror copy() {
        Mirror m = new Mirror(fd, device, orphan);
        m.fdOpen = fdOpen;
        m.mapRefs = mapRefs;
        m.flags = flags;
        m.pt.putAll(pt);
        return m;
    }

    boolean alive() {
        return fdOpen || mapRefs > 0;
    }

    /** Consumes the one-shot {@code HMM_DMIRROR_FLAG_FAIL_ALLOC} (§3.11); true if it was set. */
    boolean takeFailAlloc() {
        if ((flags & Command.FLAG_FAIL_ALLOC) != 0) {
            flags &= ~Command.FLAG_FAIL_ALLOC;
            return true;
        }
        return false;
    }
}
