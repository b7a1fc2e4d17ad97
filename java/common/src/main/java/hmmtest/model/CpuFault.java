package hmmtest.model;

import hmmtest.uapi.AbiVersion;

import hmmtest.uapi.Errno;

/**
 * {@code handle_mm_fault} as far as the mirrors can tell: what a CPU access, an HMM fault or a GUP
 * does to the page table, which page ends up mapped, and which invalidations it sends
 * (docs/model-spec.md §3.0 table, §3.2/§3.3 "CPU mapping effects").
 */
final class CpuFault {
    private CpuFault() {}

    /** CPU load of one page: faults as needed, returns the content token. */
    static long read(World w, long vpn) {
        fault(w, vpn, false);
        return w.frame(w.ptes.get(vpn).frame()).token();
    }

    /** CPU store of a whole page: write-faults as needed, then sets the content. */
    static void write(World w, long vpn, long token) {
        fault(w, vpn, true);
        Frame f = w.frame(w.ptes.get(vpn).frame());
        w.put(f.withToken(token));
    }

    /**
     * One fault at vpn. The caller has checked that a VMA exists and permits the access (otherwise
     * the CPU gets SIGSEGV and HMM returns EFAULT/EPERM before faulting). A fault on a present PTE
     * that already allows the access changes nothing.
     */
    static void fault(World w, long vpn, boolean write) {
        Pte p = w.ptes.get(vpn);
        if (p == null) {
            populate(w, vpn, write);
            return;
        }
        if (p.kind() == Pte.Kind.DEVICE_PRIVATE) {
            migrateToRam(w, vpn);
        } else if (p.kind() == Pte.Kind.EXCLUSIVE) {
            restoreExclusive(w, vpn);
        }
        p = w.ptes.get(vpn);
        if (write && !p.writable()) {
            writeProtectFault(w, vpn);
        }
    }

    /**
     * A fault whose error is not retried (HMM's {@code hmm_do_fault}, GUP): as {@link #fault}, but
     * returns ENOMEM when {@code dmirror_devmem_fault} cannot allocate ({@link Rules#HMM_FAULT_FAIL_ALLOC_IS_ENOMEM}).
     */
    static int faultOrFail(World w, long vpn, boolean write) {
        Pte p = w.ptes.get(vpn);
        if (p != null && p.kind() == Pte.Kind.DEVICE_PRIVATE && !p.huge() && w.abi == AbiVersion.V7_3
                && Rules.HMM_FAULT_FAIL_ALLOC_IS_ENOMEM) {
            Frame f = w.frame(p.frame());
            Mirror m = w.mirrors.get(f.migratedBy());
            if (m != null && m.takeFailAlloc()) {
                // migrate_vma_setup unmapped it (MIGRATE owned by the device), finalize restores it
                Notifier.invalidate(w, vpn, vpn + 1, Notifier.Event.MIGRATE, f.device());
                w.note("FAIL_ALLOC: the fault at vpn 0x" + Long.toHexString(vpn) + " fails with VM_FAULT_OOM");
                return Errno.ENOMEM;
            }
        }
        fault(w, vpn, write);
        return 0;
    }

    /** Fault on {@code pte_none}: installing into an empty entry sends no invalidation. */
    private static void populate(World w, long vpn, boolean write) {
        VmaPage v = w.vma(vpn);
        MappingInfo mi = w.mappings.get(v.map());
        switch (mi.kind()) {
            case ANON_PRIVATE -> {
                if (w.thpEligible(vpn)) {
                    w.markAnonVma(vpn); // do_huge_pmd_anonymous_page prepares the anon_vma even to read
                    if (!write) {
                        installHugeZero(w, vpn);
                    } else if (w.choose("THP allocation for a write fault", 2) == 0) {
                        installThp(w, vpn);
                    } else {
                        w.note("THP allocation failed: 4 KiB page instead");
                        smallAnon(w, vpn, true);
                    }
                } else {
                    smallAnon(w, vpn, write);
                }
            }
            case ANON_SHARED, FILE_SHARED -> {
                // shmem needs no write notification, so the PTE is writable iff the VMA is
                if (!write && faultAround(w, vpn, mi, v.prot().write())) {
                    return;
                }
                int f = w.objectPage(mi.object(), v.objIndex());
                w.ptes.put(vpn, Pte.present(f, v.prot().write()));
                w.populatedPte(vpn);
            }
            case FILE_PRIVATE -> {
                if (!write && faultAround(w, vpn, mi, false)) {
                    return;
                }
                int f = w.objectPage(mi.object(), v.objIndex());
                if (write) { // do_cow_fault: a private anonymous copy of the file page
                    w.ptes.put(vpn, Pte.present(w.newAnon(w.frame(f).token()), true));
                    w.markAnonVma(vpn);
                } else {
                    w.ptes.put(vpn, Pte.present(f, false));
                }
                w.populatedPte(vpn);
            }
            case HUGETLB -> installHugetlb(w, vpn, write);
            case DEVICE_FILE -> throw new IllegalStateException(
                    "refault of a zapped device-file page is not modelled");
        }
    }

    /**
     * {@code do_read_fault} first runs {@code do_fault_around}: {@code filemap_map_pages} maps every
     * page-cache page that already exists in a window of {@link Rules#FAULT_AROUND_PAGES} pages
     * (from the aligned block or the VMA start, clamped to the VMA and the PTE table) into empty
     * PTEs, with the VMA's page protection and no invalidation. Returns true if that mapped the
     * faulting page itself (it was cached); otherwise the fault goes on and allocates it.
     */
    private static boolean faultAround(World w, long vpn, MappingInfo mi, boolean writable) {
        long start = Math.max(vpn & ~(Rules.FAULT_AROUND_PAGES - 1L), w.runStart(vpn));
        long end = Math.min(Math.min(start + Rules.FAULT_AROUND_PAGES, World.pmdStart(vpn) + Layout.PMD_PAGES),
                w.runEnd(vpn));
        java.util.Map<Long, Integer> cache = w.objects.get(mi.object());
        for (long q = start; q < end; q++) {
            if (w.ptes.containsKey(q)) {
                continue;
            }
            Integer f = cache.get(w.vma(q).objIndex());
            if (f != null) {
                w.ptes.put(q, Pte.present(f, writable));
                w.populatedPte(q);
            }
        }
        return w.ptes.containsKey(vpn);
    }

    private static void smallAnon(World w, long vpn, boolean write) {
        if (write) {
            w.ptes.put(vpn, Pte.present(w.newAnon(0), true));
            w.markAnonVma(vpn);
        } else {
            w.ptes.put(vpn, Pte.present(Frame.ZERO_ID, false));
        }
        w.populatedPte(vpn);
    }

    static void installHugeZero(World w, long vpn) {
        long ps = World.pmdStart(vpn);
        for (long p = ps; p < ps + Layout.PMD_PAGES; p++) {
            w.ptes.put(p, new Pte(Pte.Kind.PRESENT, Frame.HUGE_ZERO_ID, false, true));
        }
        w.populatedHuge();
    }

    /** A zero-filled, PMD-mapped, writable THP over vpn's 2 MiB. */
    static void installThp(World w, long vpn) {
        long ps = World.pmdStart(vpn);
        int folio = w.newFolio();
        for (int i = 0; i < Layout.PMD_PAGES; i++) {
            int f = w.newFrame(Frame.Kind.ANON, -1, 0, true, folio, i, -1);
            w.ptes.put(ps + i, new Pte(Pte.Kind.PRESENT, f, true, true));
        }
        w.markAnonVma(vpn);
        w.populatedHuge();
    }

    /** hugetlb faults in the whole 2 MiB page; a private read fault maps it read-only. */
    private static void installHugetlb(World w, long vpn, boolean write) {
        long ps = World.pmdStart(vpn);
        int folio = w.newFolio();
        for (int i = 0; i < Layout.PMD_PAGES; i++) {
            int f = w.newFrame(Frame.Kind.HUGETLB, -1, 0, true, folio, i, -1);
            w.ptes.put(ps + i, new Pte(Pte.Kind.PRESENT, f, write, true));
        }
        w.markAnonVma(vpn);
        w.populatedHuge();
    }

    /** Write fault on a present read-only PTE in a writable VMA. */
    private static void writeProtectFault(World w, long vpn) {
        Pte p = w.ptes.get(vpn);
        Frame f = w.frame(p.frame());
        switch (f.kind()) {
            case ZERO -> copyOnWrite(w, vpn, 0);
            case HUGE_ZERO -> {
                long ps = World.pmdStart(vpn);
                // 7.3 do_huge_zero_wp_pmd replaces the huge zero page by a THP; 6.12 splits
                if (w.abi == AbiVersion.V7_3 && w.choose("THP allocation replacing the huge zero page", 2) == 0) {
                    Notifier.invalidate(w, ps, ps + Layout.PMD_PAGES, Notifier.Event.CLEAR);
                    installThp(w, vpn);
                } else {
                    w.splitPmd(vpn);
                    copyOnWrite(w, vpn, 0);
                }
            }
            case SHMEM, DEVFILE -> {
                if (w.mappingOf(vpn).kind().shared()) {
                    w.ptes.put(vpn, p.withWritable(true));
                } else {
                    copyOnWrite(w, vpn, f.token()); // private file page: COW to anonymous
                }
            }
            case ANON, DEV_COHERENT, HUGETLB -> {
                if (p.huge()) {
                    // hugetlb_wp and do_huge_pmd_wp_page reuse a folio mapped once (Rules)
                    long ps = World.pmdStart(vpn);
                    for (long q = ps; q < ps + Layout.PMD_PAGES; q++) {
                        Pte pq = w.ptes.get(q);
                        w.ptes.put(q, pq.withWritable(true));
                        w.put(w.frame(pq.frame()).withExclusive(true));
                    }
                } else if (f.anonExclusive()) {
                    w.ptes.put(vpn, p.withWritable(true)); // wp_page_reuse: no invalidation
                } else if (f.folio() != 0) {
                    if (Rules.largeFolioWriteAfterForkReuses(w.abi, w.vpnsOfFolio(f.folio()).size())) {
                        w.ptes.put(vpn, p.withWritable(true));
                        w.put(f.withExclusive(true));
                    } else {
                        copyOnWrite(w, vpn, f.token());
                    }
                } else if (!w.cowAfterForkCopies()) {
                    // wp_can_reuse_anon_folio: refcount 1 unless a remote LRU cache still holds it
                    w.ptes.put(vpn, p.withWritable(true));
                    w.put(f.withExclusive(true));
                } else {
                    copyOnWrite(w, vpn, f.token());
                }
            }
            default -> throw new IllegalStateException("write fault on " + f);
        }
    }

    /** wp_page_copy: CLEAR over the page (erases it and the next one), new anonymous page. */
    private static void copyOnWrite(World w, long vpn, long token) {
        Notifier.invalidate(w, vpn, vpn + 1, Notifier.Event.CLEAR);
        w.ptes.put(vpn, Pte.present(w.newAnon(token), true));
        w.markAnonVma(vpn);
    }

    /**
     * {@code migrate_to_ram} = {@code dmirror_devmem_fault} (§3.5 CPU side): MIGRATE event owned by
     * the device (ignored by that device's mirrors), explicit erase in the mirror that migrated the
     * page, a new system page with the same contents and writability.
     */
    static void migrateToRam(World w, long vpn) {
        Pte p = w.ptes.get(vpn);
        Frame f = w.frame(p.frame());
        boolean whole = p.huge() && Rules.DEVICE_THP_RETURNS_AS_THP;
        long s = whole ? World.pmdStart(vpn) : vpn;
        long e = whole ? s + Layout.PMD_PAGES : vpn + 1;
        if (p.huge() && !whole) {
            w.splitPmd(vpn);
        }
        Notifier.invalidate(w, s, e, Notifier.Event.MIGRATE, f.device());
        Mirror m = w.mirrors.get(f.migratedBy());
        boolean failAlloc = m != null && w.abi == AbiVersion.V7_3 && m.takeFailAlloc();
        // FAIL_ALLOC of a THP: dmirror_devmem_fault drops the compound flag and fills the whole
        // range with small pages (7.3 lib/test_hmm.c 1141-1160): all 512 come back, not as a THP
        boolean asThp = whole && !(failAlloc && Rules.DEVICE_THP_FAIL_ALLOC_RETURNS_SMALL);
        if (failAlloc && !whole && Rules.CPU_FAULT_FAIL_ALLOC_RETRIES) {
            w.note("FAIL_ALLOC consumed by a CPU fault; the fault is retried and succeeds");
        } else if (failAlloc && whole && !asThp) {
            w.note("FAIL_ALLOC: the device THP at vpn 0x" + Long.toHexString(s) + " comes back as small pages");
            w.populatedPte(s);
        }
        int folio = asThp ? w.newFolio() : 0;
        for (long q = s; q < e; q++) {
            Pte pq = w.ptes.get(q);
            Frame fq = w.frame(pq.frame());
            if (m != null) {
                m.pt.remove(q);
            }
            int id = w.newFrame(Frame.Kind.ANON, -1, fq.token(), fq.anonExclusive(), folio, asThp ? (int) (q - s) : 0, -1);
            w.ptes.put(q, new Pte(Pte.Kind.PRESENT, id, pq.writable(), asThp));
        }
    }

    /**
     * {@code remove_device_exclusive_entry}: an EXCLUSIVE (6.12) / CLEAR (7.3) invalidation over the
     * page, which every mirror erases together with the next page, then the PTE is restored.
     */
    static void restoreExclusive(World w, long vpn) {
        Pte p = w.ptes.get(vpn);
        Frame f = w.frame(p.frame());
        Notifier.invalidate(w, vpn, vpn + 1,
                w.abi == AbiVersion.V6_12 ? Notifier.Event.EXCLUSIVE : Notifier.Event.CLEAR);
        boolean writable = Rules.exclusiveRestoresWritable(w.abi, p.writable(), w.vma(vpn).prot().write(),
                f.anonExclusive());
        w.ptes.put(vpn, Pte.present(p.frame(), writable));
    }

    /**
     * GUP of one page with {@code FOLL_GET|FOLL_WRITE|FOLL_SPLIT_PMD} (EXCLUSIVE, §3.8 step 1):
     * 0 with a writable small PTE at vpn, or the errno GUP fails with.
     */
    static int gupWrite(World w, long vpn) {
        VmaPage v = w.vma(vpn);
        if (v == null || !v.prot().write()) {
            return Errno.EFAULT; // no VMA, or check_vma_flags(FOLL_WRITE) on a VMA without VM_WRITE
        }
        if (w.mappings.get(v.map()).kind() == MapKind.HUGETLB) {
            return Errno.EOPNOTSUPP; // FOLL_SPLIT_PMD on hugetlb
        }
        for (int guard = 0; guard < 8; guard++) {
            Pte p = w.ptes.get(vpn);
            if (p != null && p.huge() && p.kind() == Pte.Kind.DEVICE_PRIVATE && Rules.GUP_FAULTS_DEVICE_THP_BEFORE_SPLIT) {
                fault(w, vpn, true); // a non-present PMD: GUP faults it (the THP comes back), then splits
                continue;
            }
            if (p != null && p.huge()) {
                w.splitPmd(vpn); // follow_pmd_mask splits before looking at the PTE
                continue;
            }
            if (p != null && p.kind() == Pte.Kind.PRESENT && p.writable()) {
                return Errno.OK;
            }
            int r = faultOrFail(w, vpn, true);
            if (r != 0) {
                return r;
            }
        }
        throw new IllegalStateException("GUP did not converge at vpn " + vpn);
    }
}
