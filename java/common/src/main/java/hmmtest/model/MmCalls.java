package hmmtest.model;

import hmmtest.uapi.AbiVersion;

import hmmtest.uapi.Errno;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The process-side actions: mm syscalls, fork and device open/close, with the invalidations they
 * send (docs/model-spec.md §3.0 table). Preconditions are checked by {@link Scope} before these run.
 */
final class MmCalls {
    private MmCalls() {}

    static Outcome mmap(World w, Layout layout, Action.Mmap a) {
        if (a.kind() == MapKind.HUGETLB && w.choose("hugetlb page reservation", 2) == 1) {
            w.note("no free hugetlb page: mmap fails");
            return Outcome.error(Errno.ENOMEM);
        }
        int object = a.kind().hasObject() ? w.newObject() : 0;
        w.mappings.put(a.id(), new MappingInfo(a.id(), a.kind(), object, a.fd()));
        long base = layout.slotBaseVpn(a.id());
        for (int i = 0; i < a.pages(); i++) {
            w.writableVmas().put(base + i, new VmaPage(a.id(), a.prot(), a.thp(), false, i));
        }
        if (a.kind() == MapKind.DEVICE_FILE) {
            // dmirror_fops_mmap: a zeroed page per address via vm_insert_page; MAP_PRIVATE: read-only
            w.mirrors.get(a.fd()).mapRefs++;
            for (int i = 0; i < a.pages(); i++) {
                int f = w.newFrame(Frame.Kind.DEVFILE, -1, 0, false, 0, 0, -1);
                w.ptes.put(base + i, Pte.present(f, false));
                w.populatedPte(base + i);
            }
        }
        return Outcome.ok();
    }

    /** munmap: UNMAP over the requested range if any VMA overlaps it (erases range + 1). */
    static Outcome munmap(World w, Layout layout, Action.Munmap a) {
        long s = layout.vpn(a.map(), a.page());
        long e = s + a.pages();
        if (w.vmas.subMap(s, e).isEmpty()) {
            return Outcome.ok();
        }
        vmaSplits(w, s, e);
        Notifier.invalidate(w, s, e, Notifier.Event.UNMAP);
        removePages(w, s, e);
        return Outcome.ok();
    }

    /** Removes VMAs and PTEs of [s, e) and everything that only they kept alive. */
    static void removePages(World w, long s, long e) {
        TreeMap<Integer, Boolean> touched = new TreeMap<>();
        for (VmaPage v : w.vmas.subMap(s, e).values()) {
            touched.put(v.map(), true);
        }
        w.writableVmas().subMap(s, e).clear();
        w.ptes.subMap(s, e).clear();
        for (int id : touched.keySet()) {
            if (!mappingHasPages(w, id)) {
                MappingInfo mi = w.mappings.remove(id);
                if (mi.kind() == MapKind.DEVICE_FILE) {
                    Mirror m = w.mirrors.get(mi.deviceFd());
                    m.mapRefs--;
                    if (!m.alive()) {
                        Driver.release(w, m);
                    }
                }
            }
        }
        // free_pgtables: a PTE table goes when no VMA is left in its 2 MiB
        for (long pmd = World.pmdStart(s); pmd < e; pmd += Layout.PMD_PAGES) {
            if (w.vmas.subMap(pmd, pmd + Layout.PMD_PAGES).isEmpty()) {
                w.pteTables.remove(pmd >> 9);
            }
        }
        if (w.vmas.isEmpty()) {
            w.pudPopulated = false;
        }
        w.gcObjects();
    }

    private static boolean mappingHasPages(World w, int id) {
        for (VmaPage v : w.vmas.values()) {
            if (v.map() == id) {
                return true;
            }
        }
        return false;
    }

    /**
     * The VMA splits of an operation on [s, e): at s if s lies strictly inside a VMA, then at e if
     * e does, in the VMA the first split left (the kernel splits one after the other).
     */
    private static void vmaSplits(World w, long s, long e) {
        boolean atS = strictlyInsideVma(w, s);
        vmaSplitAt(w, s, Long.MIN_VALUE);
        vmaSplitAt(w, e, atS && w.vma(e) != null && w.runStart(e) <= s ? s : Long.MIN_VALUE);
    }

    private static boolean strictlyInsideVma(World w, long b) {
        VmaPage v = w.vma(b);
        return v != null && v.sameVma(w.vma(b - 1));
    }

    /**
     * {@code __split_vma} at b calls {@code vma_adjust_trans_huge}: if b is not PMD-aligned and the
     * VMA (starting no earlier than {@code notBefore}) covers b's whole 2 MiB,
     * {@code __split_huge_pmd} runs, which sends CLEAR over the 2 MiB whether or not a huge PMD is
     * there ({@link Rules#VMA_SPLIT_CLEARS_ITS_PMD}), and splits a huge one.
     */
    private static void vmaSplitAt(World w, long b, long notBefore) {
        if (!strictlyInsideVma(w, b)) {
            return;
        }
        long ps = World.pmdStart(b);
        if (b == ps || Math.max(w.runStart(b), notBefore) > ps || w.runEnd(b) < ps + Layout.PMD_PAGES) {
            return;
        }
        if (w.huge(b)) {
            w.splitPmd(b);
        } else if (Rules.VMA_SPLIT_CLEARS_ITS_PMD && w.pudPopulated) {
            Notifier.invalidate(w, ps, ps + Layout.PMD_PAGES, Notifier.Event.CLEAR); // mm_find_pmd: PUD present
        }
    }

    /**
     * Zapping part of a huge PMD splits it first ({@code zap_pmd_range}): CLEAR over the whole
     * 2 MiB. (A VMA split is {@link #vmaSplits}.)
     */
    private static void splitPartialPmds(World w, long s, long e) {
        for (long b : new long[] {s, e}) {
            if (b != World.pmdStart(b) && w.huge(b)) {
                w.splitPmd(b);
            }
        }
    }

    /**
     * mprotect, VMA by VMA from the start until the first hole (then ENOMEM, §mprotect(2)). A VMA
     * whose protection changes gets PROTECTION_VMA over its part of the range if its page tables
     * are populated ({@link Rules#mprotectNotifies}); hugetlb always notifies.
     */
    static Outcome mprotect(World w, Layout layout, Action.Mprotect a) {
        long s = layout.vpn(a.map(), a.page());
        long e = s + a.pages();
        if (w.vma(s) == null) {
            return Outcome.error(Errno.ENOMEM);
        }
        long mappedEnd = s;
        boolean changes = false;
        while (mappedEnd < e && w.vma(mappedEnd) != null) {
            changes |= w.vma(mappedEnd).prot() != a.prot();
            mappedEnd++;
        }
        if (changes) {
            // mprotect_fixup splits only VMAs whose protection changes
            boolean atS = w.vma(s).prot() != a.prot() && strictlyInsideVma(w, s);
            if (w.vma(s).prot() != a.prot()) {
                vmaSplitAt(w, s, Long.MIN_VALUE);
            }
            if (w.vma(mappedEnd - 1).prot() != a.prot()) {
                vmaSplitAt(w, mappedEnd, atS && w.runStart(mappedEnd - 1) <= s ? s : Long.MIN_VALUE);
            }
        }
        long cur = s;
        while (cur < e && w.vma(cur) != null) {
            long segEnd = Math.min(e, w.runEnd(cur));
            VmaPage v = w.vma(cur);
            if (v.prot() != a.prot()) {
                MappingInfo mi = w.mappings.get(v.map());
                boolean hugetlb = mi.kind() == MapKind.HUGETLB;
                if (hugetlb || Rules.mprotectNotifies(w.abi, w.pmdPopulated(cur), w.pudPopulated)) {
                    Notifier.invalidate(w, cur, segEnd, Notifier.Event.PROTECTION_VMA);
                }
                for (long p = cur; p < segEnd; p++) {
                    w.writableVmas().put(p, w.vma(p).withProt(a.prot()));
                    reprotect(w, p, a.prot(), mi.kind());
                }
            }
            cur = segEnd;
        }
        return cur < e ? Outcome.error(Errno.ENOMEM) : Outcome.ok();
    }

    /** What {@code change_protection} does to one PTE. */
    private static void reprotect(World w, long vpn, Prot prot, MapKind kind) {
        Pte p = w.ptes.get(vpn);
        if (p == null) {
            return;
        }
        Frame f = w.frame(p.frame());
        switch (p.kind()) {
            // any protection change makes a writable device-private entry readable (change_softleaf_pte)
            case DEVICE_PRIVATE -> w.ptes.put(vpn, p.withWritable(false));
            // 6.12 has writable/readable exclusive entries and downgrades them; 7.3 has one type
            case EXCLUSIVE -> {
                if (w.abi == AbiVersion.V6_12) {
                    w.ptes.put(vpn, p.withWritable(false));
                }
            }
            case PRESENT -> {
                boolean writable = prot.write() && f.kind() != Frame.Kind.ZERO && f.kind() != Frame.Kind.HUGE_ZERO
                        && (f.kind() != Frame.Kind.SHMEM || kind.shared())
                        && Rules.mprotectMakesWritable(f, kind)
                        && (p.writable() || f.kind() != Frame.Kind.HUGETLB);
                w.ptes.put(vpn, p.withWritable(writable));
            }
        }
    }

    /**
     * madvise over every VMA of the range; a hole in the range makes the call return ENOMEM after
     * the mapped parts were handled.
     */
    static Outcome madvise(World w, Layout layout, Action.Madvise a) {
        long s = layout.vpn(a.map(), a.page());
        long e = s + a.pages();
        boolean hole = false;
        List<long[]> segments = new ArrayList<>();
        for (long cur = s; cur < e; ) {
            if (w.vma(cur) == null) {
                hole = true;
                cur++;
                continue;
            }
            long segEnd = Math.min(e, w.runEnd(cur));
            segments.add(new long[] {cur, segEnd});
            cur = segEnd;
        }
        for (long[] seg : segments) {
            switch (a.advice()) {
                case DONTNEED -> dontneed(w, seg[0], seg[1]);
                // madvise_free_single_vma: CLEAR over the range; pages become lazily freeable but
                // keep their contents (Rules.LAZYFREE_NEVER_RECLAIMED)
                case FREE -> Notifier.invalidate(w, seg[0], seg[1], Notifier.Event.CLEAR);
                case HUGEPAGE, NOHUGEPAGE -> {
                    if (w.vma(seg[0]).thpHint() != (a.advice() == Advice.HUGEPAGE)) {
                        vmaSplits(w, seg[0], seg[1]); // the VMA splits at the range ends
                    }
                    for (long p = seg[0]; p < seg[1]; p++) {
                        w.writableVmas().put(p, w.vma(p).withThpHint(a.advice() == Advice.HUGEPAGE));
                    }
                }
            }
        }
        return hole ? Outcome.error(Errno.ENOMEM) : Outcome.ok();
    }

    /** zap_page_range_single: CLEAR over the VMA's part, then the PTEs are gone. */
    private static void dontneed(World w, long s, long e) {
        splitPartialPmds(w, s, e);
        Notifier.invalidate(w, s, e, Notifier.Event.CLEAR);
        w.ptes.subMap(s, e).clear();
        for (long pmd = World.pmdStart(s); pmd < e; pmd += Layout.PMD_PAGES) {
            if (Rules.dontneedFreesPageTable(w.abi, s <= pmd && pmd + Layout.PMD_PAGES <= e)) {
                w.pteTables.remove(pmd >> 9);
            }
        }
    }

    /**
     * mremap with MAYMOVE|FIXED to an empty slot: per moved VMA, UNMAP over its part of the range
     * (move_page_tables), the PTEs move unchanged, and without DONTUNMAP the old part is unmapped
     * (another UNMAP). A hole at the start of the range is EFAULT; so is, in 6.12, a range that
     * does not lie inside one VMA, while 7.3 moves every VMA of the range and keeps the gaps
     * ({@link Rules#mremapMovesSeveralVmas}).
     */
    static Outcome mremap(World w, Layout layout, Action.Mremap a) {
        long s = layout.vpn(a.map(), a.page());
        long e = s + a.pages();
        List<long[]> parts = new ArrayList<>();
        for (long cur = s; cur < e; ) {
            if (w.vma(cur) == null) {
                cur++;
                continue;
            }
            long pe = Math.min(e, w.runEnd(cur));
            parts.add(new long[] {cur, pe});
            cur = pe;
        }
        if (parts.isEmpty() || parts.get(0)[0] != s) {
            return Outcome.error(Errno.EFAULT);
        }
        if (!Rules.mremapMovesSeveralVmas(w.abi) && (parts.size() > 1 || parts.get(0)[1] != e)) {
            return Outcome.error(Errno.EFAULT);
        }
        MappingInfo mi = w.mappings.get(w.vma(s).map());
        long dst = layout.slotBaseVpn(a.to());
        w.mappings.put(a.to(), new MappingInfo(a.to(), mi.kind(), mi.object(), mi.deviceFd()));
        for (long[] part : parts) {
            long ps = part[0];
            long pe = part[1];
            boolean wholeVma = w.runStart(ps) == ps && w.runEnd(ps) == pe;
            Notifier.invalidate(w, ps, pe, Notifier.Event.UNMAP);
            for (long p = ps; p < pe; p++) {
                w.writableVmas().put(dst + (p - s), w.vma(p).movedTo(a.to()));
                Pte pte = w.ptes.remove(p);
                if (pte != null) {
                    w.ptes.put(dst + (p - s), pte);
                    w.populatedPte(dst + (p - s));
                }
            }
            // mirror entries of the old range were erased; the migrating fd of a moved device page
            // keeps pointing at it through zone_device_data, which is per page, not per address
            if (!a.dontUnmap()) {
                vmaSplits(w, ps, pe); // do_vmi_munmap of the old part (DONTUNMAP does not split)
                Notifier.invalidate(w, ps, pe, Notifier.Event.UNMAP);
                removePages(w, ps, pe);
            } else if (wholeVma) {
                // the emptied source VMA gives its anon_vma away (unlink_anon_vmas in move_vma)
                for (long p = ps; p < pe; p++) {
                    VmaPage v = w.vma(p);
                    w.writableVmas().put(p, new VmaPage(v.map(), v.prot(), v.thpHint(), false, v.objIndex()));
                }
            }
        }
        return Outcome.ok();
    }

    /**
     * fork(), then the child writes one page and exits (§3.0 fork row, §3.8 fork). In the parent:
     * every private VMA that gets copied (it has an anon_vma, or is a VM_MIXEDMAP device-file
     * mapping) is invalidated and write-protected; device-exclusive entries are restored first;
     * writable device-private entries become readable; anonymous pages lose PageAnonExclusive.
     */
    static Outcome forkChildWrite(World w, Layout layout, Action.ForkChildWrite a) {
        forkCopy(w);
        childWrite(w, layout.vpn(a.map(), a.page()), a.token());
        return Outcome.ok();
    }

    /**
     * What copying the address space into a child does to the parent (dup_mmap): private COW
     * mappings that hold anonymous pages are write-protected, with an invalidation per run.
     */
    private static void forkCopy(World w) {
        List<long[]> runs = new ArrayList<>();
        for (long cur : new ArrayList<>(w.vmas.keySet())) {
            if (!runs.isEmpty() && cur < runs.get(runs.size() - 1)[1]) {
                continue;
            }
            runs.add(new long[] {w.runStart(cur), w.runEnd(cur)});
        }
        for (long[] run : runs) {
            MappingInfo mi = w.mappingOf(run[0]);
            if (mi.kind().shared()) {
                continue; // MAP_SHARED VMAs are not COW mappings: no copy, no invalidation
            }
            boolean copied = w.runHasAnonVma(run[0], run[1]) || mi.kind() == MapKind.DEVICE_FILE;
            if (!copied) {
                continue;
            }
            Notifier.invalidate(w, run[0], run[1],
                    mi.kind() == MapKind.HUGETLB ? Notifier.Event.CLEAR : Notifier.Event.PROTECTION_PAGE);
            for (long p = run[0]; p < run[1]; p++) {
                Pte pte = w.ptes.get(p);
                if (pte == null) {
                    continue;
                }
                Frame f = w.frame(pte.frame());
                if (pte.kind() == Pte.Kind.EXCLUSIVE) {
                    pte = Pte.present(pte.frame(), pte.writable()); // restored, then copied as present
                }
                if (f.anon()) {
                    w.put(f.withExclusive(false));
                    w.ptes.put(p, pte.withWritable(false));
                } else {
                    w.ptes.put(p, pte);
                }
            }
        }
    }

    /** The child's store: visible to the parent only through shared memory. */
    private static void childWrite(World w, long vpn, long token) {
        VmaPage v = w.vma(vpn);
        MappingInfo mi = w.mappings.get(v.map());
        if (mi.kind().shared()) {
            int f = w.objectPage(mi.object(), v.objIndex());
            w.put(w.frame(f).withToken(token));
            return;
        }
        Pte p = w.ptes.get(vpn);
        if (p == null && mi.kind() == MapKind.FILE_PRIVATE && Rules.CHILD_COW_FAULT_FILLS_PAGE_CACHE) {
            // the child's do_cow_fault reads the file page into the page cache before copying it
            w.objectPage(mi.object(), v.objIndex());
            return;
        }
        if (p != null && p.kind() == Pte.Kind.DEVICE_PRIVATE) {
            // The child's fault migrates the shared device page back: try_to_migrate unmaps it from
            // the parent too (CLEAR in the parent's mm), the migrating fd erases its entry, and both
            // processes map the new system page read-only; the child then COWs its own copy.
            Frame f = w.frame(p.frame());
            Notifier.invalidate(w, vpn, vpn + 1, Notifier.Event.CLEAR);
            Mirror m = w.mirrors.get(f.migratedBy());
            if (m != null && w.abi == AbiVersion.V7_3 && Rules.CHILD_FAULT_CONSUMES_FAIL_ALLOC && m.takeFailAlloc()) {
                w.note("FAIL_ALLOC consumed by the child's CPU fault; its fault is retried and succeeds");
            }
            if (m != null) {
                m.pt.remove(vpn);
            }
            int id = w.newFrame(Frame.Kind.ANON, -1, f.token(), false, 0, 0, -1);
            w.ptes.put(vpn, Pte.present(id, false));
        }
        // otherwise the child faults or copies its own page: nothing the parent can see
    }

    static Outcome open(World w, Action.Open a) {
        if (a.orphan()) {
            // the opener is a clone of this process that exits at once: its copy of the address
            // space is made (and torn down without touching a page) as for a fork (§2.5)
            forkCopy(w);
        }
        w.mirrors.put(a.fd(), new Mirror(a.fd(), a.device(), a.orphan()));
        return Outcome.ok();
    }

    static Outcome close(World w, Action.Close a) {
        Mirror m = w.mirrors.get(a.fd());
        m.fdOpen = false;
        if (!m.alive()) {
            Driver.release(w, m); // §2.4: evicts ALL pages of the device, for every fd
        }
        return Outcome.ok();
    }
}
