package hmmtest.model;

import hmmtest.uapi.AbiVersion;

import hmmtest.uapi.Errno;

import hmmtest.uapi.Command;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The ioctls of {@code lib/test_hmm.c} (docs/model-spec.md §3.1–§3.11), for both ABI versions. */
final class Driver {
    private Driver() {}

    static Outcome ioctl(World w, Layout layout, Action.Ioctl a) {
        Mirror m = w.mirrors.get(a.fd());
        long addr = a.address(layout);
        // §3.1 common prologue: aligned addr, npages != 0, no wrap of addr + (npages << 12) in u64
        if ((addr & 0xFFF) != 0 || Long.compareUnsigned(addr, addr + (a.npages() << 12)) >= 0) {
            return Outcome.ioctlError(Errno.EINVAL, a);
        }
        Optional<Command> cmd = a.command().filter(w.abi::supports);
        if (cmd.isEmpty()) {
            return Outcome.ioctlError(Errno.EINVAL, a); // unknown command (6.12: FLAGS, READ_UNLOCKED)
        }
        long s = addr >>> Layout.PAGE_SHIFT;
        long e = s + a.effectivePages(); // (npages << 12) truncated to u64, as the driver sees it
        if (m.orphan) {
            Optional<Outcome> refused = orphanRefusal(w, a, cmd.get(), s, e);
            if (refused.isPresent()) {
                return refused.get();
            }
        }
        return switch (cmd.get()) {
            // READ_UNLOCKED differs only for userfaultfd ranges and fatal signals (§3.4)
            case READ, READ_UNLOCKED -> read(w, m, a, s, e);
            case WRITE -> write(w, m, a, s, e);
            case MIGRATE_TO_DEV -> migrateToDevice(w, m, a, s, e);
            case MIGRATE_TO_SYS -> migrateToSystem(w, m, a, s, e);
            case SNAPSHOT -> snapshot(w, m, a, s, e);
            case EXCLUSIVE -> exclusive(w, m, a, s, e);
            case CHECK_EXCLUSIVE -> checkExclusive(m, a, s, e);
            case RELEASE -> {
                evictDevice(w, m.device); // §3.10: all pages of the device, for every fd
                w.pools[m.device] = World.Pool.NONE; // and its chunks are freed (§2.2)
                yield ok(0, 0, List.of(), "");
            }
            case FLAGS -> {
                m.flags = a.npages(); // §3.11: per file, flags = npages
                yield ok(0, 0, List.of(), "");
            }
        };
    }

    /**
     * §2.5: the opener's mm is gone, so {@code mmget_not_zero} fails in every command that takes
     * it. READ and WRITE first find no entry (nothing can fill such a mirror's table) and fault:
     * EFAULT, once the bounce buffer is allocated; the others refuse with EINVAL. CHECK_EXCLUSIVE,
     * RELEASE and FLAGS never take the mm.
     */
    private static Optional<Outcome> orphanRefusal(World w, Action.Ioctl a, Command c, long s, long e) {
        return switch (c) {
            case READ, READ_UNLOCKED, WRITE -> Optional.of(Outcome.ioctlError(
                    Rules.bounceAllocFails(e - s, w.opts.guestRamPages()) ? Errno.ENOMEM : Errno.EFAULT, a));
            case MIGRATE_TO_DEV, MIGRATE_TO_SYS, SNAPSHOT, EXCLUSIVE -> Optional.of(Outcome.ioctlError(Errno.EINVAL, a));
            case CHECK_EXCLUSIVE, RELEASE, FLAGS -> Optional.empty();
        };
    }

    private static Outcome ok(long cpages, long faults, List<Long> data, String snapshot) {
        return new Outcome(0, cpages, faults, data, snapshot);
    }

    // ---- READ / WRITE (§3.2, §3.3) ----

    private static Outcome read(World w, Mirror m, Action.Ioctl a, long s, long e) {
        if (Rules.bounceAllocFails(e - s, w.opts.guestRamPages())) {
            return Outcome.ioctlError(Errno.ENOMEM, a);
        }
        List<Long> data = new ArrayList<>();
        long faults = 0;
        int r;
        while (true) {
            r = doRead(w, m, s + data.size(), e, data);
            if (r != Errno.ENOENT) {
                break;
            }
            r = HmmWalk.fault(w, m, s + data.size(), e, false);
            if (r != 0) {
                break;
            }
            faults++;
        }
        if (r != 0) {
            return Outcome.ioctlError(r, a);
        }
        return ok(e - s, backgroundFaults(w, faults), data, "");
    }

    private static Outcome write(World w, Mirror m, Action.Ioctl a, long s, long e) {
        if (Rules.bounceAllocFails(e - s, w.opts.guestRamPages())) {
            return Outcome.ioctlError(Errno.ENOMEM, a);
        }
        long[] cpages = {0};
        long faults = 0;
        int r;
        while (true) {
            r = doWrite(w, m, s, s + cpages[0], e, a.token(), cpages);
            if (r != Errno.ENOENT) {
                break;
            }
            r = HmmWalk.fault(w, m, s + cpages[0], e, true);
            if (r != 0) {
                break;
            }
            faults++;
        }
        if (r != 0) {
            return Outcome.ioctlError(r, a); // pages before the failure are already written (§3.3)
        }
        return ok(e - s, backgroundFaults(w, faults), List.of(), "");
    }

    /** {@link ModelOptions#tolerateBackgroundInvalidation}: one more fault round is also fine. */
    private static long backgroundFaults(World w, long faults) {
        if (faults > 0 && w.opts.tolerateBackgroundInvalidation()
                && w.choose("a background invalidation forced one more fault round", 2) == 1) {
            return faults + 1;
        }
        return faults;
    }

    /** {@code dmirror_do_read}: copies from the mirror's pages; ENOENT at the first missing entry. */
    static int doRead(World w, Mirror m, long from, long e, List<Long> out) {
        w.gc();
        for (long vpn = from; vpn < e; vpn++) {
            Mirror.Entry en = m.pt.get(vpn);
            if (en == null) {
                return Errno.ENOENT;
            }
            out.add(access(w, m, vpn, en).token());
        }
        return 0;
    }

    /** {@code dmirror_do_write}: needs WRITE-tagged entries; writes {@code token + i} to page i. */
    private static int doWrite(World w, Mirror m, long s, long from, long e, long token, long[] cpages) {
        w.gc();
        for (long vpn = from; vpn < e; vpn++) {
            Mirror.Entry en = m.pt.get(vpn);
            if (en == null || en.tag() != Mirror.Tag.WRITE) {
                return Errno.ENOENT;
            }
            w.put(access(w, m, vpn, en).withToken(token + (vpn - s)));
            cpages[0]++;
        }
        return 0;
    }

    /** The page a memcpy through a mirror entry touches, or the hazard it would hit (§3.14). */
    private static Frame access(World w, Mirror m, long vpn, Mirror.Entry en) {
        if (en.devicePage()) {
            throw new HazardException(new Hazard(Hazard.Kind.H1_DEVICE_PRIVATE_MEMCPY,
                    "fd " + m.fd + " (device " + m.device + ") copies the device-private struct page at vpn 0x"
                            + Long.toHexString(vpn)));
        }
        Frame f = w.frame(en.frame());
        if (f == null) {
            throw new HazardException(new Hazard(Hazard.Kind.H3_STALE_FREED_PAGE,
                    "fd " + m.fd + " (device " + m.device + ") copies a freed page through a stale entry at vpn 0x"
                            + Long.toHexString(vpn)));
        }
        return f;
    }

    // ---- MIGRATE_TO_DEV (§3.5) ----

    private static Outcome migrateToDevice(World w, Mirror m, Action.Ioctl a, long s, long e) {
        for (long cur = s; cur < e; ) {
            VmaPage v = w.vma(cur);
            if (v == null || !v.prot().read()) {
                return Outcome.ioctlError(Errno.EINVAL, a); // earlier chunks stay migrated
            }
            long next = Math.min(e, Math.min(cur + w.abi.migrateChunkPages(), w.runEnd(cur)));
            MapKind kind = w.mappings.get(v.map()).kind();
            if (kind == MapKind.HUGETLB || kind == MapKind.DEVICE_FILE) {
                return Outcome.ioctlError(Errno.EINVAL, a); // migrate_vma_setup: hugetlb, VM_MIXEDMAP
            }
            Migration.toDevice(w, m, cur, next);
            cur = next;
        }
        if (Rules.bounceAllocFails(e - s, w.opts.guestRamPages())) {
            return Outcome.ioctlError(Errno.ENOMEM, a);
        }
        List<Long> data = new ArrayList<>();
        int r = doRead(w, m, s, e, data); // read back without faulting: every page needs an entry
        if (r != 0) {
            return Outcome.ioctlError(r, a);
        }
        return ok(e - s, 0, data, ""); // cpages = npages, not the number migrated
    }

    // ---- MIGRATE_TO_SYS (§3.6) ----

    private static Outcome migrateToSystem(World w, Mirror m, Action.Ioctl a, long s, long e) {
        long cpages = 0;
        for (long cur = s; cur < e; ) {
            VmaPage v = w.vma(cur);
            if (v == null || !v.prot().read()) {
                return Outcome.ioctlError(Errno.EINVAL, a);
            }
            long next = Math.min(e, Math.min(cur + w.abi.migrateChunkPages(), w.runEnd(cur)));
            MapKind kind = w.mappings.get(v.map()).kind();
            if (kind == MapKind.HUGETLB || kind == MapKind.DEVICE_FILE) {
                return Outcome.ioctlError(Errno.EINVAL, a);
            }
            long n = Migration.toSystem(w, m, cur, next);
            if (n < 0) {
                return Outcome.ioctlError(Errno.ENOMEM, a); // 7.3 FAIL_ALLOC on an order-0 page
            }
            cpages += n;
            cur = next;
        }
        return ok(cpages, 0, List.of(), "");
    }

    // ---- SNAPSHOT (§3.7) ----

    private static Outcome snapshot(World w, Mirror m, Action.Ioctl a, long s, long e) {
        byte[] b = new byte[(int) (e - s)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) HmmWalk.snapshotByte(w, m, s + i);
        }
        return ok(e - s, 0, List.of(), Outcome.hex(b));
    }

    // ---- EXCLUSIVE / CHECK_EXCLUSIVE (§3.8, §3.9, §5) ----

    private static Outcome exclusive(World w, Mirror m, Action.Ioctl a, long s, long e) {
        int r = w.abi == AbiVersion.V6_12 ? Exclusive.range612(w, m, s, e) : Exclusive.range73(w, m, s, e);
        if (r != 0) {
            return Outcome.ioctlError(r, a); // pages converted so far stay exclusive
        }
        if (Rules.bounceAllocFails(e - s, w.opts.guestRamPages())) {
            return Outcome.ioctlError(Errno.ENOMEM, a);
        }
        List<Long> data = new ArrayList<>();
        r = doRead(w, m, s, e, data);
        if (r != 0) {
            return Outcome.ioctlError(r, a);
        }
        return ok(e - s, 0, data, "");
    }

    private static Outcome checkExclusive(Mirror m, Action.Ioctl a, long s, long e) {
        for (Mirror.Entry en : m.pt.subMap(s, true, e, false).values()) {
            if (en.tag() == Mirror.Tag.ATOMIC) {
                return Outcome.ioctlError(Errno.EPERM, a); // any ATOMIC entry of THIS mirror
            }
        }
        return ok(0, 0, List.of(), "");
    }

    // ---- close / RELEASE (§2.4, §3.10) ----

    /**
     * {@code dmirror_device_evict_chunk} for every chunk: all pages of the device, whoever migrated
     * them, go back to system memory through {@code try_to_migrate} (CLEAR: every mirror erases).
     */
    static void evictDevice(World w, int device) {
        if (Rules.evictOfExclusiveCoherentPageLeaks(w.abi)) {
            for (Map.Entry<Long, Pte> e : w.ptes.entrySet()) {
                Frame f = w.frame(e.getValue().frame());
                if (e.getValue().kind() == Pte.Kind.EXCLUSIVE && f.kind() == Frame.Kind.DEV_COHERENT
                        && f.device() == device) {
                    throw new HazardException(new Hazard(Hazard.Kind.H7_EVICT_LEAKS_EXCLUSIVE_COHERENT_PAGE,
                            "device " + device + " evicts its coherent page at vpn 0x" + Long.toHexString(e.getKey())
                                    + ", which a device-exclusive entry maps: the page leaks and the next RELEASE of"
                                    + " the device hangs"));
                }
            }
        }
        for (Long vpn : new ArrayList<>(w.ptes.keySet())) {
            Pte p = w.ptes.get(vpn);
            Frame f = w.frame(p.frame());
            if (!f.onDevice() || f.device() != device) {
                continue;
            }
            if (p.huge() && vpn != World.pmdStart(vpn)) {
                continue; // handled with its head
            }
            if (f.kind() == Frame.Kind.DEV_PRIVATE && f.folio() != 0 && w.abi == AbiVersion.V7_3) {
                // a device THP, PMD-mapped or (after a split PMD) PTE-mapped: still a large folio
                throw new HazardException(new Hazard(Hazard.Kind.H10_EVICT_DEVICE_PRIVATE_THP,
                        "device " + device + " evicts a page of its THP at vpn 0x" + Long.toHexString(vpn)));
            }
            long end = p.huge() ? vpn + Layout.PMD_PAGES : vpn + 1;
            Notifier.invalidate(w, vpn, end, Notifier.Event.CLEAR);
            int folio = p.huge() ? w.newFolio() : 0;
            for (long q = vpn; q < end; q++) {
                Pte pq = w.ptes.get(q);
                Frame fq = w.frame(pq.frame());
                int id = w.newFrame(Frame.Kind.ANON, -1, fq.token(), fq.anonExclusive(), folio, (int) (q - vpn), -1);
                boolean writable = pq.writable()
                        && !(pq.kind() == Pte.Kind.EXCLUSIVE && Rules.migratingExclusiveEntryDropsWrite(w.abi));
                w.ptes.put(q, new Pte(Pte.Kind.PRESENT, id, writable, pq.huge()));
            }
        }
    }

    /** The last reference to a mirror's file went away ({@code dmirror_fops_release}). */
    static void release(World w, Mirror m) {
        w.mirrors.remove(m.fd); // the notifier goes first, so this mirror sees nothing of the evict
        evictDevice(w, m.device);
    }
}
