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
        H7_EVICT_LEAKS_EXCLUSIVE_COHERENT_PAGE(true);

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
