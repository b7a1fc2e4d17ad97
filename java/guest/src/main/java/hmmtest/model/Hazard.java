package hmmtest.model;

/**
 * A kernel-dangerous situation an action would enter (hmm-abi.md §3.14). The generator avoids them
 * unless told to explore them.
 */
public record Hazard(Kind kind, String detail) {

    public enum Kind {
        /** H1: memcpy from/to a device-private struct page: oops with dmirror->mutex held. */
        H1_DEVICE_PRIVATE_MEMCPY(true),
        /** H2: WRITE faulting a read-only own device-private page: WARN, then EFAULT. */
        H2_WARN_READONLY_DEVICE_PRIVATE(false),
        /** H3: READ/WRITE through a stale entry to a freed page: stale data or memory corruption. */
        H3_STALE_FREED_PAGE(true);

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
