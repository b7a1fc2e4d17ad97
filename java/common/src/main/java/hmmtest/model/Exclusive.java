package hmmtest.model;

import hmmtest.uapi.Errno;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The conversion part of HMM_DMIRROR_EXCLUSIVE, which is where 6.12 and 7.3 differ most
 * (docs/model-spec.md §3.8, §5). Both return 0 or the ioctl's errno; the caller reads the range back.
 */
final class Exclusive {
    private Exclusive() {}

    /**
     * 7.3 {@code make_device_exclusive()} page by page: GUP write fault, anonymous check
     * (EOPNOTSUPP), EXCLUSIVE invalidation of the page (erasing it and the next one everywhere),
     * device-exclusive PTE, ATOMIC entry. Stops at the first failure; earlier pages stay exclusive.
     */
    static int range73(World w, Mirror m, long s, long e) {
        for (long vpn = s; vpn < e; vpn++) {
            int r = CpuFault.gupWrite(w, vpn);
            if (r != 0) {
                return r;
            }
            Pte p = w.ptes.get(vpn);
            Frame f = w.frame(p.frame());
            if (!f.anon() || f.kind() == Frame.Kind.HUGETLB) {
                return Errno.EOPNOTSUPP; // MAP_SHARED (shmem) memory is not anonymous
            }
            Notifier.invalidate(w, vpn, vpn + 1, Notifier.Event.EXCLUSIVE);
            w.ptes.put(vpn, new Pte(Pte.Kind.EXCLUSIVE, p.frame(), true, false));
            m.pt.put(vpn, new Mirror.Entry(p.frame(), Mirror.Tag.ATOMIC, false));
        }
        return 0;
    }

    /**
     * 6.12 {@code make_device_exclusive_range()} in 64-page chunks (§5.1): GUP the whole chunk
     * (write-faulting it), then convert each returned page. Tail pages of a large folio and
     * non-anonymous pages are rejected; converting a THP head converts every PTE of its folio.
     * ATOMIC entries are stored only if GUP returned the whole chunk, and any rejected page makes
     * the ioctl fail. Every failure is EBUSY.
     */
    static int range612(World w, Mirror m, long s, long e) {
        for (long a = s; a < e; ) {
            long next = Math.min(e, a + 64);
            List<Long> pinned = new ArrayList<>();
            List<Integer> pinnedFrames = new ArrayList<>();
            boolean gupFailed = false;
            for (long vpn = a; vpn < next; vpn++) {
                if (CpuFault.gupWrite(w, vpn) != 0) {
                    gupFailed = true; // GUP returns the pages so far, or the error if none
                    break;
                }
                pinned.add(vpn);
                pinnedFrames.add(w.ptes.get(vpn).frame());
            }
            if (pinned.isEmpty() && gupFailed) {
                return Errno.EBUSY;
            }
            List<Long> accepted = new ArrayList<>();
            Set<Integer> lockedFolios = new HashSet<>();
            for (int i = 0; i < pinned.size(); i++) {
                long vpn = pinned.get(i);
                Frame f = w.frame(pinnedFrames.get(i));
                if (f.folio() != 0 && (f.folioIndex() > 0 || !lockedFolios.add(f.folio()))) {
                    continue; // PageTail, or folio_trylock fails on a folio this loop holds
                }
                if (!f.anon() || f.kind() == Frame.Kind.HUGETLB) {
                    continue; // folio_make_device_exclusive rejects non-anonymous folios
                }
                convertFolio(w, vpn, f);
                accepted.add(vpn);
            }
            long mapped = 0;
            if (pinned.size() == next - a) {
                for (long vpn : accepted) {
                    m.pt.put(vpn, new Mirror.Entry(w.ptes.get(vpn).frame(), Mirror.Tag.ATOMIC, false));
                }
                mapped = accepted.size();
            }
            if (a + mapped < next) {
                return Errno.EBUSY;
            }
            a = next;
        }
        return 0;
    }

    /**
     * The rmap walk of {@code folio_make_device_exclusive}: one EXCLUSIVE invalidation over the
     * folio's range in the VMA, and every PTE mapping the folio becomes a device-exclusive entry
     * (writable or readable like the PTE).
     */
    private static void convertFolio(World w, long vpn, Frame f) {
        List<Long> maps = f.folio() == 0 ? List.of(vpn) : w.vpnsOfFolio(f.folio());
        long start = maps.get(0);
        long end = Math.min(w.runEnd(vpn), start + (f.folio() == 0 ? 1 : Layout.PMD_PAGES));
        Notifier.invalidate(w, start, end, Notifier.Event.EXCLUSIVE);
        for (long q : maps) {
            Pte p = w.ptes.get(q);
            if (p.kind() == Pte.Kind.PRESENT) {
                w.ptes.put(q, new Pte(Pte.Kind.EXCLUSIVE, p.frame(), p.writable(), false));
            }
        }
    }
}
