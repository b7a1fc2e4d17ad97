package hmmtest.model;

/**
 * A kernel-dangerous situation an action would enter (docs/model-spec.md §3.14). The generator avoids them
 * unless told to explore them.
 *
 * <p>H4 (7.3 allocation failures under memory pressure) and H6 (6.12 VM_BUG_ON on a PMD-mapped THP
 * in another process's mapping) need conditions outside the model (memory pressure, concurrent
 * processes), and H5 (close/RELEASE evicting every fd's pages) is modelled as ordinary, predicted
 * behaviour rather than flagged.
 */
public record Hazard(Kind kind, String detail) {

    public enum Kind {
        /** H1: memcpy from/to a device-private struct page: oops with dmirror->mutex held. */
        H1_DEVICE_PRIVATE_MEMCPY(true),
        /** H2: WRITE faulting a read-only own device-private page: WARN, then EFAULT. */
        H2_WARN_READONLY_DEVICE_PRIVATE(false),
        /** H3: READ/WRITE through a stale entry to a freed page: stale data or memory corruption. */
        H3_STALE_FREED_PAGE(true),
        /**
         * H7 (6.12, measured): evicting (close, RELEASE) a device-coherent page that a
         * device-exclusive entry maps does not migrate it and leaks a page reference; the next
         * RELEASE of that device, in any process and after the page was unmapped, hangs forever in
         * {@code memunmap_pages}. The model cannot follow a poisoned machine.
         */
        H7_EVICT_LEAKS_EXCLUSIVE_COHERENT_PAGE(true),
        /**
         * H8 (7.3, measured 2026-12-04 on merged 7.3.4, fuzz seed 1): MIGRATE_TO_DEV over part of a
         * PMD-mapped coherent device THP splits it, and the kernel oopses ("unable to handle page
         * fault in free_zone_device_folio"). Only a coherent device whose chunk a RELEASE freed and
         * a THP-sized allocation re-made can hold such a THP (§2.2).
         */
        H8_SPLIT_COHERENT_DEVICE_THP(true),
        /**
         * H9 (7.3): a THP falling back to small device pages (FAIL_ALLOC) on a coherent device whose
         * chunk holds only THP-sized folios; the fallback loop of dmirror_migrate_alloc_and_copy
         * uses a NULL small page without a check (upstream's hmm-tests with THP=always oopses there).
         */
        H9_COHERENT_SMALL_FALLBACK_WITHOUT_PAGES(true),
        /**
         * H10 (7.3, measured 2026-12-04 on merged 7.3.4, fuzz seed 1 without the coherent devices):
         * close or RELEASE evicting a device-private THP (PMD-mapped, or PTE-mapped after a split
         * PMD: still one large folio) oopses ("unable to handle page fault in copy_page"): the THP
         * branch of dmirror_device_evict_chunk, which no test had reached.
         */
        H10_EVICT_DEVICE_PRIVATE_THP(true);

        private final boolean oops;

        Kind(boolean oops) {
            this.oops = oops;
        }

        /** The model cannot predict past it: the executor should expect a dead kernel or worse. */
        public boolean fatal() {
            return oops;
        }
    }

    @Override
    public String toString() {
        return kind + ": " + detail;
    }
}
