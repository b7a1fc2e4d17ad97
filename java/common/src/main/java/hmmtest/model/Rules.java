package hmmtest.model;

import hmmtest.uapi.AbiVersion;

/**
 * Every rule that is [inferred] in docs/model-spec.md, was read from source the document does not quote,
 * or is an assumption about the test machine, in one place, so that each can be changed once the
 * real kernel disagrees. The simulation consults these instead of hard-coding the choice.
 */
final class Rules {
    private Rules() {}

    /**
     * Bounce buffers are {@code vmalloc(npages*4096)} (§3.1: "a huge npages gives ENOMEM"). vmalloc
     * refuses any request larger than total RAM [inferred: {@code __vmalloc_node_range} checks
     * {@code size >> PAGE_SHIFT > totalram_pages()}]. Sizes between free and total RAM are outside
     * the model (the generator never asks for them).
     */
    static boolean bounceAllocFails(long pages, long guestRamPages) {
        return pages > guestRamPages;
    }

    /**
     * Mirror tag of a page MIGRATE_TO_DEV populated from a hole or the zero page. 6.12 tags it WRITE
     * when the VMA is writable (§3.5 step 4, {@code 6.12 :736-738}). The 7.3 source read for this
     * model ({@code dmirror_migrate_alloc_and_copy}: {@code write = *src & MIGRATE_PFN_WRITE}) has no
     * VM_WRITE clause, so such entries are read-only there although the CPU entry is writable; a
     * later WRITE on the same device then runs into hazard H1 (§3.5 step 4 says the same).
     */
    static boolean holeMigrationTagWritable(AbiVersion abi, boolean vmaWritable) {
        return abi == AbiVersion.V6_12 && vmaWritable;
    }

    /**
     * 6.12 {@code migrate_vma_collect_pmd} skips PTE-mapped pages of a large folio ("FIXME support
     * THP") [inferred]; 7.3 splits the folio and migrates (read in 7.3 mm/migrate_device.c).
     */
    static boolean migrateSkipsPteMappedLargeFolio(AbiVersion abi) {
        return abi == AbiVersion.V6_12;
    }

    /**
     * MIGRATE_TO_DEV maps device pages into the mirror only after the whole chunk was collected
     * (7.3 mm/migrate_device.c: {@code migrate_vma_setup} collects, splitting each PTE-mapped large
     * folio on the way with a CLEAR over it; {@code dmirror_migrate_finalize_and_map} runs after
     * {@code migrate_vma_pages}). So a split later in the chunk cannot erase an entry of a page
     * migrated earlier in it. Found by the fuzzer on 2026-12-04 (seed 1, merged 7.3.4): a hole
     * migrated before a split of the folio after it kept its entry, where the model had erased it
     * and predicted ENOENT.
     */
    static final boolean MIGRATION_MAPS_AFTER_COLLECTING = true;

    /**
     * A coherent device's memory is one chunk at a fixed reserved address ({@code spm_addr_devN}):
     * {@code dmirror_device_init} carves it into small pages at load ({@code
     * dmirror_allocate_chunk(mdevice, NULL, false)}); another chunk cannot be added (the range is
     * taken), so a THP-sized request falls back to small pages. Only RELEASE
     * ({@code dmirror_device_remove_chunks}) frees the chunk, and the next request re-carves it by
     * its own size. Found by the fuzzer on 2026-12-04: a whole-THP MIGRATE_TO_DEV to
     * {@code hmm_dmirror3} gave PTE-mapped coherent pages (SNAPSHOT 0x41), not a device THP (0x45).
     */
    static final boolean COHERENT_DEVICE_HAS_ONE_CHUNK = true;

    /**
     * GUP (EXCLUSIVE's {@code make_device_exclusive}, FOLL_SPLIT_PMD) meets a device-private THP as
     * a non-present PMD, which {@code follow_pmd_mask} does not split: it faults the PMD (the THP
     * migrates back whole), and splits the then present PMD. Found by the fuzzer on 2026-12-04: a
     * model that split first faulted a small device page and predicted FAIL_ALLOC's ENOMEM where
     * the kernel answered OK.
     */
    static final boolean GUP_FAULTS_DEVICE_THP_BEFORE_SPLIT = true;

    /** A CPU fault on a device THP with FAIL_ALLOC set comes back as 512 small pages (lib/test_hmm.c 7.3: 1141-1160). */
    static final boolean DEVICE_THP_FAIL_ALLOC_RETURNS_SMALL = true;

    /**
     * 7.3 MIGRATE_TO_SYS of a whole device THP: {@code dmirror_successful_migrated_pages} counts src
     * entries, and a compound src is one entry [inferred], so cpages grows by 1, not 512.
     */
    static final int DEVICE_THP_MIGRATE_TO_SYS_CPAGES = 1;

    /**
     * A CPU fault on a page migrated by an fd with FAIL_ALLOC set: {@code migrate_to_ram} returns
     * VM_FAULT_OOM, the #PF handler retries and the flag is already consumed, so the access
     * succeeds (§3.11 [inferred]).
     */
    static final boolean CPU_FAULT_FAIL_ALLOC_RETRIES = true;

    /**
     * A CPU access to a PMD-mapped 7.3 device THP migrates the whole folio back as a PMD-mapped
     * THP (§3.5 "a PMD-mapped device THP is migrated back whole") [inferred: no allocation failure].
     */
    static final boolean DEVICE_THP_RETURNS_AS_THP = true;

    /**
     * mprotect sends PROTECTION_VMA only from the first populated page-table level (§3.0). In 6.12.118
     * it is sent from change_pud_range as in 7.3 (mm/mprotect.c:454-458); the model still keys 6.12
     * on the PMD (a page table exists for the 2 MiB region), which with the arena's layout erases the
     * same entries. 7.3 keys on the PUD (any page table in the
     * arena's 1 GiB, read in 7.3 mm/mprotect.c change_pud_range). The arena PUD is modelled as
     * populated from the first population until the arena has no VMA left [inferred].
     */
    static boolean mprotectNotifies(AbiVersion abi, boolean pmdPopulated, boolean pudPopulated) {
        return abi == AbiVersion.V6_12 ? pmdPopulated : pudPopulated;
    }

    /**
     * 7.3 MADV_DONTNEED reclaims an emptied PTE table when it covers a whole PMD (CONFIG_PT_RECLAIM,
     * read in 7.3 mm/memory.c); 6.12 has no such reclaim.
     */
    static boolean dontneedFreesPageTable(AbiVersion abi, boolean coversWholePmd) {
        return abi == AbiVersion.V7_3 && coversWholePmd;
    }

    /**
     * MADV_FREE'd pages keep their contents because the test VM has no memory pressure; the model
     * never discards them [assumption about the machine, documented in Model].
     */
    static final boolean LAZYFREE_NEVER_RECLAIMED = true;

    /**
     * A write fault on a PMD-mapped THP that fork made non-exclusive: after the child exited the
     * folio's refcount is 1 and THPs are never left in LRU caches, so the PMD is reused with no
     * invalidation (read in 7.3 {@code do_huge_pmd_wp_page}) [inferred for 6.12].
     */
    static final boolean THP_WRITE_AFTER_FORK_REUSES = true;

    /**
     * 6.12 restores an exclusive entry writable if the entry was writable and the VMA has VM_WRITE
     * (maybe_mkwrite, §3.8); 7.3 if the VMA is
     * writable and the page may be written ({@code can_change_pte_writable}, modelled as
     * PageAnonExclusive).
     */
    static boolean exclusiveRestoresWritable(AbiVersion abi, boolean entryWritable, boolean vmaWritable,
                                             boolean anonExclusive) {
        return abi == AbiVersion.V6_12 ? entryWritable && vmaWritable : vmaWritable && anonExclusive;
    }

    /**
     * mprotect that adds write permission makes a private anonymous PTE writable again only if the
     * page is exclusively owned ({@code can_change_pte_writable}); hugetlb does not try at all
     * [inferred]; shared (shmem) PTEs follow the VMA because shmem needs no write notification.
     */
    static boolean mprotectMakesWritable(Frame f, MapKind kind) {
        if (kind.shared()) {
            return true;
        }
        if (f.kind() == Frame.Kind.HUGETLB) {
            return false;
        }
        return (f.kind() == Frame.Kind.ANON || f.kind() == Frame.Kind.DEV_COHERENT) && f.anonExclusive();
    }

    /**
     * mremap(MREMAP_FIXED) with old_len == new_len over a range that is not inside one VMA: 6.12
     * returns EFAULT ({@code vma_to_resize}: old_len beyond the VMA); 7.3 moves every VMA the range
     * meets, one by one, keeping the gaps between them, and fails only if the range starts in a
     * hole ({@code remap_move}, 7.3 mm/mremap.c:1948-2035, multi-VMA moves since 6.17). Found by
     * the differential fuzzer on a 6.18 kernel and read in the 7.3 source; docs/model-spec.md does not
     * cover mremap.
     */
    static boolean mremapMovesSeveralVmas(AbiVersion abi) {
        return abi == AbiVersion.V7_3;
    }

    /**
     * Read faults on shmem/memfd VMAs (CPU loads and HMM read faults alike) first map the
     * page-cache pages already present around the address ({@code do_fault_around}, 64 KiB =
     * {@code fault_around_bytes}' default; 6.12 and 7.3 mm/memory.c, {@code filemap_map_pages}).
     * Found by the differential fuzzer: after MADV_DONTNEED of a cached shmem page, a read of a
     * neighbour mapped it again (SNAPSHOT 0x02 where the model said 0x00).
     */
    static final int FAULT_AROUND_PAGES = 16;

    /**
     * MIGRATE_TO_DEV collects and unmaps page-cache pages like anonymous ones
     * ({@code migrate_vma_collect_pmd} only skips pages without {@code page->mapping}), so
     * {@code dmirror_migrate_alloc_and_copy} allocates a device page for them, and with FAIL_ALLOC
     * set consumes the flag there, before {@code migrate_vma_pages} refuses non-anonymous folios and
     * the PTE is restored (7.3 mm/migrate_device.c:381, 1209-1222; lib/test_hmm.c:870). Found by the
     * differential fuzzer on 7.3: the next anonymous page migrated although FAIL_ALLOC had been set.
     */
    static final boolean PAGE_CACHE_CONSUMES_FAIL_ALLOC = true;

    /**
     * Splitting an anonymous THP ({@code split_folio}, as migration does for a partial or PTE-mapped
     * THP) maps every zero-filled subpage to the shared zero page, read-only, when it removes the
     * migration entries ({@code remap_page} with RMP_USE_SHARED_ZEROPAGE in 6.12 mm/huge_memory.c:3353,
     * TTU_USE_SHARED_ZEROPAGE in 7.3 :4290; {@code try_to_map_unused_to_zeropage}). Found by the
     * differential fuzzer on 7.3: SNAPSHOT 0x11 where the model said 0x01.
     */
    static final boolean SPLIT_MAPS_ZERO_SUBPAGES_TO_ZERO_PAGE = true;

    /**
     * 7.3: when {@code dmirror_devmem_fault} cannot allocate (FAIL_ALLOC of the migrating fd) it
     * returns VM_FAULT_OOM. A CPU fault retries ({@link #CPU_FAULT_FAIL_ALLOC_RETRIES}), but
     * {@code hmm_do_fault} and GUP turn it into -ENOMEM ({@code vm_fault_to_errno}, 7.3
     * mm/hmm.c:680-686), so READ/WRITE/READ_UNLOCKED and EXCLUSIVE fail with ENOMEM and the page
     * stays on the device. Found by the differential fuzzer (ENOMEM where the model said EPERM).
     */
    static final boolean HMM_FAULT_FAIL_ALLOC_IS_ENOMEM = true;

    /**
     * 7.3: splitting a large folio for migration unmaps it with {@code try_to_migrate}, which turns a
     * device-exclusive entry of the folio into a migration entry that is never writable
     * ({@code writable = softleaf_is_device_private_write(entry)}, false for device-exclusive,
     * 7.3 mm/rmap.c:2634-2639); the split then restores it as a read-only present PTE, so the page
     * is no longer exclusive and MIGRATE_TO_DEV migrates it. Found by the differential fuzzer: OK
     * where the model said ENOENT for a migration over an exclusive page of a split THP.
     */
    static final boolean SPLIT_RESTORES_EXCLUSIVE_READ_ONLY = true;

    /**
     * 7.3 {@code try_to_migrate_one} turns a device-exclusive entry into a migration entry that is
     * never writable ({@code softleaf_is_device_private_write}, 7.3 mm/rmap.c:2634-2639), so a
     * page migrated away from under one (RELEASE/close evicting an exclusive coherent page, a THP
     * split) comes back read-only. Found by the differential fuzzer (SNAPSHOT 0x01 where the
     * model said 0x02 after RELEASE of a coherent device). 6.12 is not known to differ and keeps
     * the entry's permission.
     */
    static boolean migratingExclusiveEntryDropsWrite(AbiVersion abi) {
        return abi == AbiVersion.V7_3;
    }

    /**
     * Splitting a VMA at an address that is not PMD-aligned, when the VMA covers that address's
     * whole 2 MiB, runs {@code __split_huge_pmd} ({@code vma_adjust_trans_huge} from
     * {@code __split_vma}), which sends an MMU_NOTIFY_CLEAR over the whole 2 MiB before it looks at
     * the PMD, so every mirror loses its entries there although nothing is split; it only needs
     * the PUD to be present ({@code mm_find_pmd}). 6.12 mm/huge_memory.c:2964-3024, 7.3
     * :3483-3536. Found by the differential fuzzer on 7.3: munmap, mprotect or madvise of one page
     * of a 512-page mapping erased the mirror entries of all 512 pages (READ faults 1, not 0).
     */
    static final boolean VMA_SPLIT_CLEARS_ITS_PMD = true;

    /**
     * 6.12: evicting a device-coherent page that is mapped by a device-exclusive entry (close or
     * RELEASE of the coherent device's fd) leaves the page on the device, mapped read-only, and
     * leaks a reference to it: a later RELEASE of that device hangs in {@code memunmap_pages}
     * (hazard H7). Measured on 6.12.117 by the differential fuzzer (a task hung in memunmap_pages
     * during RELEASE), reduced by hand to: migrate to device 2, EXCLUSIVE through device 0, close
     * the device-2 fd, unmap, RELEASE device 2. 7.3 migrates the page (read-only, see
     * {@link #migratingExclusiveEntryDropsWrite}) and does not hang.
     */
    static boolean evictOfExclusiveCoherentPageLeaks(AbiVersion abi) {
        return abi == AbiVersion.V6_12;
    }

    /**
     * A child's write to a private file mapping where the parent's PTE is empty (fork copied none)
     * is a {@code do_cow_fault}, which reads the file page into the page cache first; that page then
     * exists for the parent's fault-around ({@link #FAULT_AROUND_PAGES}). Found by the
     * differential fuzzer on 7.3 (SNAPSHOT 0x01 where the model said 0x00 after a READ nearby).
     */
    static final boolean CHILD_COW_FAULT_FILLS_PAGE_CACHE = true;

    /**
     * 6.12 {@code migrate_vma_collect_pmd} splits every PMD-mapped THP (and huge zero PMD) that a
     * migration range touches, whatever the selection flags: MIGRATE_TO_SYS, which selects only
     * device pages, still splits a system THP, and the split maps its zero-filled subpages to the
     * zero page ({@link #SPLIT_MAPS_ZERO_SUBPAGES_TO_ZERO_PAGE}); 6.12 mm/migrate_device.c:73-100.
     * 7.3 skips a PMD without MIGRATE_VMA_SELECT_SYSTEM instead ({@code migrate_vma_collect_huge_pmd},
     * 7.3 :154-158). Found by the differential fuzzer on 6.12 (seed 1, action 62): SNAPSHOT 0x11
     * after MIGRATE_TO_SYS of one page of a THP, where the model had kept the THP.
     */
    static final boolean V6_12_MIGRATION_SPLITS_EVERY_THP_IN_RANGE = true;

    /**
     * 7.3: a forked child's fault on a shared device-private page runs {@code dmirror_devmem_fault}
     * with the dmirror that migrated the page; the fd (and its flags) is shared with the parent,
     * so the child's fault consumes FAIL_ALLOC exactly like the parent's own CPU fault
     * ({@link #CPU_FAULT_FAIL_ALLOC_RETRIES}; 7.3 lib/test_hmm.c:1140-1141). Found by the 100k-action
     * run on merged (seed 1, action 278): a later device fault succeeded where the model still
     * expected the flag to make it fail with ENOMEM.
     */
    static final boolean CHILD_FAULT_CONSUMES_FAIL_ALLOC = true;

    /**
     * A write fault on a PTE-mapped page of a large anonymous folio that fork made non-exclusive
     * (the child is gone) is decided by the folio, not by chance: 6.12 {@code wp_can_reuse_anon_folio}
     * never reuses a page of a large folio (6.12 mm/memory.c:3605-3606), so it always copies; 7.3
     * {@code __wp_can_reuse_large_anon_folio} reuses it when more than one of the folio's pages is
     * mapped and every reference is a mapping of this mm (7.3 mm/memory.c:4241-4301; large folios
     * are never held in per-CPU LRU caches), and copies when only this page is mapped ("free up a
     * large folio"). Only small folios are left to {@link World#cowAfterForkCopies}. Found by the
     * 100k-action run on baseline (seed 1, sequence 67): the per-action guess doubled the model's
     * states at each such write until it passed its cap of 32 and dropped the right one (a false
     * divergence at action 200, which the C reproducer replayed identically on a pinned CPU).
     */
    static boolean largeFolioWriteAfterForkReuses(AbiVersion abi, int pagesOfFolioMapped) {
        return abi == AbiVersion.V7_3 && pagesOfFolioMapped > 1;
    }
}
