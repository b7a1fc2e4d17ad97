package hmmtest.model;

import hmmtest.uapi.Command;

import java.util.Optional;

/**
 * Preconditions: which actions the executor can perform at all in a state (a CPU access to an
 * unmapped page would be SIGSEGV, an fd must be open), and which combinations the model does not
 * predict. The generator only proposes actions this accepts; the shrinker drops the others.
 *
 * <p>Not modelled (each refused here with a reason): MADV_FREE/madvise on hugetlb, device-file and
 * THP-backed memory; mremap of THP, hugetlb and device-file mappings, and DONTUNMAP except for
 * private anonymous memory; partial munmap/mprotect of hugetlb; write access to device-file
 * mappings; fork while a 7.3 device THP is mapped; MIGRATE_TO_SYS over part of a device THP.
 */
final class Scope {
    static final int MAX_FDS = 16;
    static final int MAX_PAGE_OFFSET = 4 * Layout.SLOT_PAGES;

    private Scope() {}

    static Optional<String> check(World w, Layout layout, Action a) {
        String r = reason(w, layout, a);
        return Optional.ofNullable(r);
    }

    private static String reason(World w, Layout layout, Action a) {
        if (a instanceof Action.Mmap m) {
            return mmap(w, layout, m);
        }
        if (a instanceof Action.Munmap m) {
            return range(w, layout, m.map(), m.page(), m.pages(), true);
        }
        if (a instanceof Action.Mprotect m) {
            String r = range(w, layout, m.map(), m.page(), m.pages(), true);
            if (r == null && m.prot() == Prot.RW && kindIn(w, layout, m.map(), m.page(), m.pages(), MapKind.DEVICE_FILE)) {
                r = "write access to a device-file mapping is not modelled";
            }
            return r;
        }
        if (a instanceof Action.Madvise m) {
            return madvise(w, layout, m);
        }
        if (a instanceof Action.Mremap m) {
            return mremap(w, layout, m);
        }
        if (a instanceof Action.CpuRead c) {
            return cpu(w, layout, c.map(), c.page(), false);
        }
        if (a instanceof Action.CpuWrite c) {
            return cpu(w, layout, c.map(), c.page(), true);
        }
        if (a instanceof Action.ForkChildWrite f) {
            return fork(w, layout, f);
        }
        if (a instanceof Action.Open o) {
            if (o.fd() < 0 || o.fd() >= MAX_FDS) {
                return "fd handle out of range";
            }
            if (w.mirrors.containsKey(o.fd())) {
                return "fd handle " + o.fd() + " is in use";
            }
            if (o.device() < 0 || o.device() > 3 || (o.device() >= 2 && !w.opts.coherentDevices())) {
                return "no /dev/hmm_dmirror" + o.device();
            }
            if (o.orphan() && deviceThpMapped(w)) {
                return "an orphan open (a clone of the address space) with a device THP mapped is not modelled";
            }
            return null;
        }
        if (a instanceof Action.Close c) {
            return openFd(w, c.fd());
        }
        if (a instanceof Action.Ioctl i) {
            return ioctl(w, layout, i);
        }
        throw new IllegalArgumentException("unknown action " + a);
    }

    private static String openFd(World w, int fd) {
        Mirror m = w.mirrors.get(fd);
        return m != null && m.fdOpen ? null : "fd " + fd + " is not open";
    }

    private static String slot(int map) {
        return map < 0 || map >= Layout.MAX_SLOTS ? "mapping id " + map + " out of range" : null;
    }

    private static String mmap(World w, Layout layout, Action.Mmap m) {
        if (slot(m.id()) != null) {
            return slot(m.id());
        }
        if (w.mappings.containsKey(m.id()) || !w.vmas.subMap(layout.slotBaseVpn(m.id()),
                layout.slotBaseVpn(m.id()) + Layout.SLOT_PAGES).isEmpty()) {
            return "slot " + m.id() + " is in use";
        }
        if (m.pages() < 1 || m.pages() > Layout.PMD_PAGES) {
            return "mappings have 1..512 pages";
        }
        if (m.kind() == MapKind.HUGETLB && (m.pages() != Layout.PMD_PAGES || m.prot() == Prot.NONE)) {
            return "hugetlb mappings are one 2 MiB page, readable";
        }
        if (m.thp() && m.kind() != MapKind.ANON_PRIVATE) {
            return "thp applies to private anonymous memory only";
        }
        if (m.kind() == MapKind.DEVICE_FILE) {
            if (openFd(w, m.fd()) != null) {
                return openFd(w, m.fd());
            }
            if (m.prot() == Prot.RW) {
                return "write access to a device-file mapping is not modelled";
            }
        } else if (m.fd() != -1) {
            return "fd only for DEVICE_FILE";
        }
        return null;
    }

    private static String range(World w, Layout layout, int map, long page, long pages, boolean wholeHugetlb) {
        if (slot(map) != null) {
            return slot(map);
        }
        if (page < 0 || pages < 1 || page + pages > Layout.SLOT_PAGES) {
            return "range must lie inside the slot";
        }
        if (wholeHugetlb) {
            long s = layout.vpn(map, page);
            for (long p = s; p < s + pages; p++) {
                MappingInfo mi = w.mappingOf(p);
                if (mi != null && mi.kind() == MapKind.HUGETLB && (page != 0 || pages < Layout.PMD_PAGES)) {
                    return "hugetlb mappings are unmapped/protected whole only";
                }
            }
        }
        return null;
    }

    private static boolean kindIn(World w, Layout layout, int map, long page, long pages, MapKind kind) {
        long s = layout.vpn(map, page);
        for (long p = s; p < s + pages; p++) {
            MappingInfo mi = w.mappingOf(p);
            if (mi != null && mi.kind() == kind) {
                return true;
            }
        }
        return false;
    }

    private static String madvise(World w, Layout layout, Action.Madvise m) {
        String r = range(w, layout, m.map(), m.page(), m.pages(), false);
        if (r != null) {
            return r;
        }
        long s = layout.vpn(m.map(), m.page());
        for (long p = s; p < s + m.pages(); p++) {
            MappingInfo mi = w.mappingOf(p);
            if (mi == null) {
                continue;
            }
            if (mi.kind() == MapKind.HUGETLB || mi.kind() == MapKind.DEVICE_FILE) {
                return "madvise on " + mi.kind() + " is not modelled";
            }
            if (m.advice() != Advice.DONTNEED && mi.kind() != MapKind.ANON_PRIVATE) {
                return m.advice() + " is modelled for private anonymous memory only";
            }
            if (m.advice() == Advice.FREE && (w.vma(p).thpHint() || w.huge(p))) {
                return "MADV_FREE of THP-backed memory is not modelled";
            }
        }
        return null;
    }

    private static String mremap(World w, Layout layout, Action.Mremap m) {
        String r = range(w, layout, m.map(), m.page(), m.pages(), false);
        if (r != null || slot(m.to()) != null) {
            return r != null ? r : slot(m.to());
        }
        if (m.to() == m.map() || w.mappings.containsKey(m.to())
                || !w.vmas.subMap(layout.slotBaseVpn(m.to()), layout.slotBaseVpn(m.to()) + Layout.SLOT_PAGES).isEmpty()) {
            return "mremap needs an empty destination slot";
        }
        long s = layout.vpn(m.map(), m.page());
        for (long p = s; p < s + m.pages(); p++) {
            MappingInfo mi = w.mappingOf(p);
            if (mi == null) {
                continue;
            }
            if (mi.kind() == MapKind.HUGETLB || mi.kind() == MapKind.DEVICE_FILE) {
                return "mremap of " + mi.kind() + " is not modelled";
            }
            if (w.vma(p).thpHint() || w.huge(p)) {
                return "mremap of THP-backed memory is not modelled";
            }
            if (m.dontUnmap() && mi.kind() != MapKind.ANON_PRIVATE) {
                return "MREMAP_DONTUNMAP is modelled for private anonymous memory only";
            }
        }
        return null;
    }

    private static String cpu(World w, Layout layout, int map, int page, boolean write) {
        if (slot(map) != null || page < 0 || page >= Layout.SLOT_PAGES) {
            return "page out of range";
        }
        long vpn = layout.vpn(map, page);
        VmaPage v = w.vma(vpn);
        if (v == null || !v.prot().read() || (write && !v.prot().write())) {
            return "CPU " + (write ? "write" : "read") + " of that page would be SIGSEGV";
        }
        return null;
    }

    private static String fork(World w, Layout layout, Action.ForkChildWrite f) {
        String r = cpu(w, layout, f.map(), f.page(), true);
        if (r != null) {
            return r;
        }
        return deviceThpMapped(w) ? "fork with a device THP mapped is not modelled" : null;
    }

    /** A private or coherent device THP is mapped (a fork or an orphan open's clone would copy it). */
    private static boolean deviceThpMapped(World w) {
        for (Pte p : w.ptes.values()) {
            if (p.huge() && w.frame(p.frame()).onDevice()) {
                return true;
            }
        }
        return false;
    }

    private static String ioctl(World w, Layout layout, Action.Ioctl i) {
        String r = openFd(w, i.fd());
        if (r != null || slot(i.map()) != null) {
            return r != null ? r : slot(i.map());
        }
        if (i.page() < 0 || i.page() > MAX_PAGE_OFFSET || i.byteOffset() < 0 || i.byteOffset() >= PageContent.PAGE_SIZE) {
            return "address out of range";
        }
        long addr = i.address(layout);
        boolean prologueFails = (addr & 0xFFF) != 0 || Long.compareUnsigned(addr, addr + (i.npages() << 12)) >= 0
                || i.command().filter(w.abi::supports).isEmpty();
        if (prologueFails) {
            return null;
        }
        Command c = i.command().get();
        long n = i.effectivePages();
        if ((c == Command.SNAPSHOT || c == Command.CHECK_EXCLUSIVE) && n > Action.Ioctl.MAX_SNAPSHOT_BYTES) {
            return c + " beyond " + Action.Ioctl.MAX_SNAPSHOT_BYTES + " pages would overrun the buffer or take minutes";
        }
        if (c == Command.WRITE && n > Action.Ioctl.MAX_BUFFER_PAGES
                && !Rules.bounceAllocFails(n, w.opts.guestRamPages())) {
            return "WRITE would read beyond the executor's buffer";
        }
        if (c == Command.MIGRATE_TO_SYS) {
            long s = addr >>> Layout.PAGE_SHIFT;
            long e = s + n;
            for (long b : new long[] {s, e}) {
                long ps = World.pmdStart(b);
                Pte p = w.ptes.get(ps);
                if (b != ps && p != null && p.huge() && w.frame(p.frame()).onDevice()) {
                    // private or coherent (a coherent THP is a present PMD of device memory)
                    return "MIGRATE_TO_SYS over part of a device THP is not modelled";
                }
            }
        }
        return null;
    }
}
