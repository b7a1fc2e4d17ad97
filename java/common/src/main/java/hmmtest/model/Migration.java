package hmmtest.model;

import hmmtest.uapi.AbiVersion;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One {@code migrate_vma_setup/pages/finalize} round of MIGRATE_TO_DEV or MIGRATE_TO_SYS over a
 * chunk that lies inside one VMA (docs/model-spec.md §3.5, §3.6).
 */
final class Migration {
    private Migration() {}

    /**
     * System to device. Selected: anonymous holes, the zero page and present anonymous system pages.
     * Skipped: page cache (shared or file: {@code migrate_vma_pages} refuses non-anonymous folios,
     * after a device page was allocated for them), device pages of any device, swap and
     * device-exclusive entries.
     */
    static void toDevice(World w, Mirror m, long cs, long ce) {
        int d = m.device;
        // migrate_vma_collect: MIGRATE owned by this device, erased only by other devices' mirrors
        Notifier.invalidate(w, cs, ce, Notifier.Event.MIGRATE, d);
        boolean vmaWrite = w.vma(cs).prot().write();
        MapKind kind = w.mappingOf(cs).kind();
        Set<Long> doneByCompound = new HashSet<>();
        for (long ps = World.pmdStart(cs); ps < ce; ps += Layout.PMD_PAGES) {
            boolean whole = cs <= ps && ps + Layout.PMD_PAGES <= ce;
            Pte hp = w.ptes.get(ps);
            if (w.abi == AbiVersion.V7_3 && whole && kind.anonymousVma() && !w.pmdPopulated(ps)) {
                // migrate_vma_collect_hole on an empty, aligned PMD: one compound hole
                compoundToDevice(w, m, ps, null, vmaWrite);
                markDone(doneByCompound, ps);
                continue;
            }
            if (hp == null || !hp.huge() || hp.kind() != Pte.Kind.PRESENT) {
                continue;
            }
            Frame hf = w.frame(hp.frame());
            if (hf.kind() == Frame.Kind.DEV_COHERENT && w.abi == AbiVersion.V7_3 && !whole) {
                throw new HazardException(new Hazard(Hazard.Kind.H8_SPLIT_COHERENT_DEVICE_THP,
                        "MIGRATE_TO_DEV over part of the coherent device THP at vpn 0x" + Long.toHexString(ps)));
            }
            if (hf.kind() != Frame.Kind.ANON && hf.kind() != Frame.Kind.HUGE_ZERO) {
                continue; // a coherent THP is not selected by MIGRATE_VMA_SELECT_SYSTEM
            }
            if (w.abi == AbiVersion.V7_3 && whole) {
                compoundToDevice(w, m, ps, hp, vmaWrite); // MIGRATE_VMA_SELECT_COMPOUND
                markDone(doneByCompound, ps);
            } else {
                // 6.12 always, 7.3 for a partial PMD: split (huge zero: the PMD; THP: the folio too)
                w.splitPmd(ps);
                splitFolio(w, hf.folio());
            }
        }
        // migrate_vma_collect walks the whole chunk (splitting PTE-mapped large folios, each split
        // a CLEAR over the folio) before finalize maps a single device page: a split further on
        // never erases an entry this round made (Rules.MIGRATION_MAPS_AFTER_COLLECTING)
        List<Runnable> installs = new ArrayList<>();
        for (long vpn = cs; vpn < ce; vpn++) {
            if (doneByCompound.contains(vpn)) {
                continue;
            }
            Pte p = w.ptes.get(vpn);
            boolean hole;
            Frame src = null;
            if (p == null) {
                if (!kind.anonymousVma()) {
                    continue; // only anonymous VMAs may be populated by migration
                }
                hole = true;
            } else if (p.kind() != Pte.Kind.PRESENT) {
                continue; // device-private (any device) or device-exclusive: not selected
            } else {
                src = w.frame(p.frame());
                if (src.kind() == Frame.Kind.ZERO) {
                    hole = true; // zero pfn: MIGRATE without a source page
                } else if (src.kind() == Frame.Kind.ANON) {
                    hole = false;
                    if (src.folio() != 0 && !p.huge()) {
                        if (Rules.migrateSkipsPteMappedLargeFolio(w.abi)) {
                            continue;
                        }
                        splitPteMappedFolio(w, src.folio());
                        p = w.ptes.get(vpn); // a zero-filled page came back as the zero page
                        src = w.frame(p.frame());
                        hole = src.kind() == Frame.Kind.ZERO;
                    }
                } else if (src.kind() == Frame.Kind.SHMEM) {
                    // page cache is collected and unmapped, so a device page is allocated for it
                    // before migrate_vma_pages refuses the non-anonymous folio (Rules)
                    if (w.abi == AbiVersion.V7_3 && Rules.PAGE_CACHE_CONSUMES_FAIL_ALLOC && m.takeFailAlloc()) {
                        w.note("FAIL_ALLOC consumed by the page-cache page at vpn 0x" + Long.toHexString(vpn));
                    }
                    continue;
                } else {
                    continue; // device-coherent and device-file pages are not selected
                }
            }
            if (w.abi == AbiVersion.V7_3 && m.takeFailAlloc()) {
                w.note("FAIL_ALLOC: page at vpn 0x" + Long.toHexString(vpn) + " not migrated");
                continue;
            }
            if (!allocates(w, m.device, false)) {
                w.note("device " + m.device + " has no small page (its chunk holds THP-sized folios): vpn 0x"
                        + Long.toHexString(vpn) + " not migrated");
                continue;
            }
            boolean cpuWritable = hole ? vmaWrite : p.writable();
            boolean tagWrite = hole ? Rules.holeMigrationTagWritable(w.abi, vmaWrite) : p.writable();
            long token = hole ? 0 : src.token();
            boolean exclusive = hole || src.anonExclusive();
            boolean isHole = hole;
            long v = vpn;
            Runnable install = () -> {
                installDevicePage(w, m, v, token, exclusive, cpuWritable, tagWrite, 0, 0, false);
                if (isHole) {
                    w.markAnonVma(v);
                    w.populatedPte(v);
                }
            };
            if (Rules.MIGRATION_MAPS_AFTER_COLLECTING) {
                installs.add(install);
            } else {
                install.run();
            }
        }
        installs.forEach(Runnable::run);
    }

    private static void installDevicePage(World w, Mirror m, long vpn, long token, boolean exclusive,
                                          boolean cpuWritable, boolean tagWrite, int folio, int index,
                                          boolean huge) {
        boolean coherent = m.device >= 2;
        int f = w.newFrame(coherent ? Frame.Kind.DEV_COHERENT : Frame.Kind.DEV_PRIVATE, m.device, token,
                exclusive, folio, index, m.fd);
        w.ptes.put(vpn, new Pte(coherent ? Pte.Kind.PRESENT : Pte.Kind.DEVICE_PRIVATE, f, cpuWritable, huge));
        // dmirror_migrate_finalize_and_map: the backing page, WRITE-tagged if MIGRATE_PFN_WRITE
        m.pt.put(vpn, new Mirror.Entry(f, tagWrite ? Mirror.Tag.WRITE : Mirror.Tag.RO, false));
    }

    private static void markDone(Set<Long> done, long ps) {
        for (long q = ps; q < ps + Layout.PMD_PAGES; q++) {
            done.add(q);
        }
    }

    /**
     * 7.3: a whole, aligned THP, huge zero page or empty PMD ({@code hp == null}) moves as one
     * device THP (§3.5 step 3); with FAIL_ALLOC it falls back to 512 small device pages.
     */
    private static void compoundToDevice(World w, Mirror m, long ps, Pte hp, boolean vmaWrite) {
        boolean zero = hp == null || w.frame(hp.frame()).kind() == Frame.Kind.HUGE_ZERO;
        // no source pfn (hole, huge zero page): CPU entry writable iff VM_WRITE, entries untagged
        boolean cpuWritable = zero ? vmaWrite : hp.writable();
        boolean tagWrite = !zero && hp.writable();
        boolean failAlloc = m.takeFailAlloc();
        boolean small = failAlloc || !allocates(w, m.device, true);
        if (small && !allocates(w, m.device, false)) {
            throw new HazardException(new Hazard(Hazard.Kind.H9_COHERENT_SMALL_FALLBACK_WITHOUT_PAGES,
                    "device " + m.device + " falls back to small pages for the THP at vpn 0x" + Long.toHexString(ps)
                            + " but its chunk holds only THP-sized folios"));
        }
        if (small) {
            // FAIL_ALLOC, or a coherent device without THP-sized folios: 512 small device pages;
            // a mapped PMD is split on the way (CLEAR over it)
            w.note((failAlloc ? "FAIL_ALLOC" : "device " + m.device + " has no THP-sized folio") + ": THP at vpn 0x"
                    + Long.toHexString(ps) + " falls back to small device pages");
            if (hp != null) {
                Notifier.invalidate(w, ps, ps + Layout.PMD_PAGES, Notifier.Event.CLEAR);
            }
            w.populatedPte(ps);
        } else {
            w.populatedHuge();
        }
        int folio = small ? 0 : w.newFolio();
        for (int i = 0; i < Layout.PMD_PAGES; i++) {
            long vpn = ps + i;
            Frame src = hp == null ? null : w.frame(w.ptes.get(vpn).frame());
            long token = zero ? 0 : src.token();
            boolean exclusive = zero || src.anonExclusive();
            installDevicePage(w, m, vpn, token, exclusive, cpuWritable, tagWrite, folio, small ? 0 : i, !small);
        }
        w.markAnonVma(ps);
    }

    /**
     * Whether the device can give a page of this size (§2.2). A private device adds a chunk of
     * either kind whenever its free lists run dry. A coherent device has one chunk, its reserved
     * 256 MiB, carved at module load into small pages; after a RELEASE frees it, the next
     * allocation makes it again, carved by that allocation's size. It never gives the other size
     * ({@link Rules#COHERENT_DEVICE_HAS_ONE_CHUNK}).
     */
    static boolean allocates(World w, int device, boolean large) {
        if (device < 2 || !Rules.COHERENT_DEVICE_HAS_ONE_CHUNK) {
            return true;
        }
        World.Pool p = w.pools[device];
        if (p == World.Pool.NONE) {
            w.pools[device] = large ? World.Pool.LARGE : World.Pool.SMALL;
            return true;
        }
        return p == (large ? World.Pool.LARGE : World.Pool.SMALL);
    }

    /** 7.3 splits a PTE-mapped large folio before migrating its pages (CLEAR over its mappings). */
    private static void splitPteMappedFolio(World w, int folio) {
        List<Long> vpns = w.vpnsOfFolio(folio);
        Notifier.invalidate(w, vpns.get(0), vpns.get(vpns.size() - 1) + 1, Notifier.Event.CLEAR);
        splitFolio(w, folio);
    }

    /**
     * {@code split_folio} of an anonymous folio whose mappings were just unmapped (the caller sent
     * the CLEAR): when the migration entries are removed, every zero-filled subpage is mapped to
     * the shared zero page, read-only, instead of its own page ({@link Rules#SPLIT_MAPS_ZERO_SUBPAGES_TO_ZERO_PAGE}),
     * and device-exclusive entries come back as read-only present PTEs
     * ({@link Rules#SPLIT_RESTORES_EXCLUSIVE_READ_ONLY}).
     */
    static void splitFolio(World w, int folio) {
        if (folio == 0) {
            return;
        }
        for (long vpn : w.vpnsOfFolio(folio)) {
            Pte p = w.ptes.get(vpn);
            Frame f = w.frame(p.frame());
            if (p.kind() == Pte.Kind.EXCLUSIVE && Rules.SPLIT_RESTORES_EXCLUSIVE_READ_ONLY) {
                p = Pte.present(p.frame(), false);
                w.ptes.put(vpn, p);
            }
            if (Rules.SPLIT_MAPS_ZERO_SUBPAGES_TO_ZERO_PAGE && p.kind() == Pte.Kind.PRESENT
                    && f.kind() == Frame.Kind.ANON && f.token() == 0) {
                w.ptes.put(vpn, Pte.present(Frame.ZERO_ID, false));
            }
        }
        w.splitFolio(folio);
    }

    /**
     * Device to system for one chunk; returns the pages migrated ({@code cpages}) or -1 for 7.3's
     * ENOMEM (FAIL_ALLOC on an order-0 page, §3.6). Only this device's pages are selected; the
     * ioctl's own mirror erases their entries (the explicit erase uses the caller's dmirror).
     */
    static long toSystem(World w, Mirror m, long cs, long ce) {
        int d = m.device;
        Notifier.invalidate(w, cs, ce, Notifier.Event.MIGRATE, d);
        if (w.abi == AbiVersion.V6_12 && Rules.V6_12_MIGRATION_SPLITS_EVERY_THP_IN_RANGE) {
            for (long ps = World.pmdStart(cs); ps < ce; ps += Layout.PMD_PAGES) {
                Pte hp = w.ptes.get(ps);
                if (hp != null && hp.huge() && hp.kind() == Pte.Kind.PRESENT) {
                    Frame hf = w.frame(hp.frame());
                    if (hf.kind() == Frame.Kind.ANON || hf.kind() == Frame.Kind.HUGE_ZERO) {
                        w.splitPmd(ps);
                        splitFolio(w, hf.folio());
                    }
                }
            }
        }
        long count = 0;
        for (long vpn = cs; vpn < ce; vpn++) {
            Pte p = w.ptes.get(vpn);
            if (p == null) {
                continue;
            }
            Frame f = w.frame(p.frame());
            boolean selected = f.onDevice() && f.device() == d
                    && (p.kind() == Pte.Kind.DEVICE_PRIVATE || p.kind() == Pte.Kind.PRESENT);
            if (!selected) {
                continue;
            }
            if (p.huge()) { // 7.3 device THP; a partial range over it is refused by Scope
                boolean small = m.takeFailAlloc();
                int folio = small ? 0 : w.newFolio();
                if (small) {
                    Notifier.invalidate(w, vpn, vpn + Layout.PMD_PAGES, Notifier.Event.CLEAR);
                    w.populatedPte(vpn);
                }
                for (int i = 0; i < Layout.PMD_PAGES; i++) {
                    Pte pq = w.ptes.get(vpn + i);
                    Frame fq = w.frame(pq.frame());
                    int id = w.newFrame(Frame.Kind.ANON, -1, fq.token(), fq.anonExclusive(), folio, small ? 0 : i, -1);
                    w.ptes.put(vpn + i, new Pte(Pte.Kind.PRESENT, id, pq.writable(), !small));
                    m.pt.remove(vpn + i);
                }
                count += small ? Layout.PMD_PAGES : Rules.DEVICE_THP_MIGRATE_TO_SYS_CPAGES;
                vpn += Layout.PMD_PAGES - 1;
                continue;
            }
            if (w.abi == AbiVersion.V7_3 && m.takeFailAlloc()) {
                return -1; // migrate_vma_finalize restores everything of this chunk
            }
            int id = w.newFrame(Frame.Kind.ANON, -1, f.token(), f.anonExclusive(), 0, 0, -1);
            w.ptes.put(vpn, Pte.present(id, p.writable()));
            m.pt.remove(vpn);
            count++;
        }
        return count;
    }
}
