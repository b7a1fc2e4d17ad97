package hmmtest.model;

import hmmtest.uapi.SnapshotByte;

import hmmtest.uapi.AbiVersion;

import hmmtest.uapi.Errno;

/**
 * {@code hmm_range_fault} as the driver uses it: the faulting walk behind READ/WRITE
 * ({@code dmirror_fault} / {@code dmirror_range_fault}, §3.2) and the non-faulting walk behind
 * SNAPSHOT ({@code dmirror_mkentry}, §3.7).
 */
final class HmmWalk {
    private HmmWalk() {}

    /**
     * {@code dmirror_fault(start, end, write)}: the range in chunks of {@link AbiVersion#faultChunkPages};
     * each chunk stores its entries only if it succeeded. Returns 0 or an errno.
     */
    static int fault(World w, Mirror m, long start, long end, boolean write) {
        int chunk = w.abi.faultChunkPages();
        for (long cs = start; cs < end; cs = Math.min(end, cs + chunk)) {
            int r = rangeFault(w, m, cs, Math.min(end, cs + chunk), write);
            if (r != 0) {
                return r;
            }
        }
        return 0;
    }

    /**
     * One chunk. The walk stops at the first page needing a fault and faults <em>every</em> page
     * from there to the end of the walk step (chunk ∩ VMA ∩ PMD: {@code hmm_do_fault} loops to
     * {@code end}), then re-walks. This page's own device-private pages are reported, never
     * faulted. When the walk completes, every page of the chunk gets an entry.
     */
    private static int rangeFault(World w, Mirror m, long cs, long ce, boolean write) {
        long last = cs;
        int rounds = 0;
        walk:
        while (true) {
            if (++rounds > 4 * (ce - cs) + 4) {
                throw new IllegalStateException("HMM walk does not converge at vpn 0x" + Long.toHexString(last));
            }
            for (long vpn = last; vpn < ce; vpn++) {
                VmaPage v = w.vma(vpn);
                if (v == null || !v.prot().read()) {
                    return Errno.EFAULT; // no VMA, or hmm_vma_walk_test: no VM_READ (§3.2)
                }
                if (needsFault(w, m, vpn, write)) {
                    if (write && !v.prot().write()) {
                        return Errno.EPERM; // write fault needed, VMA lacks VM_WRITE (§3.3)
                    }
                    long segEnd = Math.min(ce, Math.min(w.runEnd(vpn), World.pmdEnd(vpn)));
                    for (long p = vpn; p < segEnd; p++) {
                        int r = CpuFault.faultOrFail(w, p, write);
                        if (r != 0) {
                            return r;
                        }
                    }
                    last = vpn;
                    continue walk;
                }
            }
            break;
        }
        // dmirror_do_fault: one entry per page of the chunk, WRITE-tagged if the CPU PTE is writable
        for (long vpn = cs; vpn < ce; vpn++) {
            Pte p = w.ptes.get(vpn);
            boolean own = p.kind() == Pte.Kind.DEVICE_PRIVATE;
            if (write && !p.writable()) {
                // only reachable for a read-only own device-private page: WARN_ON + EFAULT
                w.hazard(new Hazard(Hazard.Kind.H2_WARN_READONLY_DEVICE_PRIVATE,
                        "WRITE fault on a read-only device-private page of device " + m.device
                                + " at vpn 0x" + Long.toHexString(vpn)));
                return Errno.EFAULT;
            }
            m.pt.put(vpn, new Mirror.Entry(p.frame(), p.writable() ? Mirror.Tag.WRITE : Mirror.Tag.RO, own));
        }
        return 0;
    }

    /** {@code hmm_pte_need_fault} for one page with {@code HMM_PFN_REQ_FAULT} (and WRITE). */
    private static boolean needsFault(World w, Mirror m, long vpn, boolean write) {
        Pte p = w.ptes.get(vpn);
        if (p == null) {
            return true;
        }
        return switch (p.kind()) {
            case PRESENT -> write && !p.writable();
            // dev_private_owner == this device: report the pfn, do not fault (§3.2, hazard H1)
            case DEVICE_PRIVATE -> w.frame(p.frame()).device() != m.device;
            case EXCLUSIVE -> true;
        };
    }

    /** The SNAPSHOT byte of one page (§3.7 table); never faults, never changes state. */
    static int snapshotByte(World w, Mirror m, long vpn) {
        VmaPage v = w.vma(vpn);
        if (v == null || !v.prot().read()) {
            return SnapshotByte.ERROR;
        }
        Pte p = w.ptes.get(vpn);
        if (p == null || p.kind() == Pte.Kind.EXCLUSIVE) {
            return SnapshotByte.NONE;
        }
        Frame f = w.frame(p.frame());
        int base;
        if (p.kind() == Pte.Kind.DEVICE_PRIVATE) {
            if (f.device() != m.device) {
                // another device's private page: not VALID without a fault; a PMD-level entry of it
                // (a device THP) is filled with HMM_PFN_ERROR instead (7.3 mm/hmm.c
                // hmm_vma_handle_absent_pmd, 342-386: the fuzzer found 0xff where this said 0x00)
                return p.huge() ? SnapshotByte.ERROR : SnapshotByte.NONE;
            }
            base = SnapshotByte.DEV_PRIVATE_LOCAL;
        } else if (f.kind() == Frame.Kind.DEV_COHERENT) {
            base = f.device() == m.device ? SnapshotByte.DEV_COHERENT_LOCAL : SnapshotByte.DEV_COHERENT_REMOTE;
        } else if (f.kind() == Frame.Kind.ZERO) {
            base = SnapshotByte.ZERO;
        } else {
            base = SnapshotByte.NONE; // including the huge zero page: is_zero_pfn matches 4 KiB only
        }
        int b = base | (p.writable() ? SnapshotByte.WRITE : SnapshotByte.READ);
        if (p.huge()) {
            b |= SnapshotByte.PMD;
        }
        return b;
    }
}
