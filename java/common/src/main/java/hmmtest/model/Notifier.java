package hmmtest.model;

/**
 * MMU-notifier invalidations as the mirrors see them (docs/model-spec.md §3.0).
 *
 * <p>Each mirror subscribes to the whole address space. {@code dmirror_interval_invalidate}
 * ignores MIGRATE events whose owner is its own device and otherwise erases its entries
 * {@code s>>12 .. e>>12} <b>inclusive</b> ({@code xa_for_each_range} takes an inclusive last
 * index), one page more than the range.
 */
final class Notifier {
    enum Event {
        UNMAP, CLEAR, PROTECTION_VMA, PROTECTION_PAGE, EXCLUSIVE, MIGRATE
    }

    /** Sentinel owner for events without a device owner. */
    static final int NO_OWNER = -1;

    private Notifier() {}

    /**
     * Invalidation of the virtual pages {@code [startVpn, endVpn)}.
     *
     * @param owner device index for MIGRATE events ({@code pgmap_owner}), else {@link #NO_OWNER}
     */
    static void invalidate(World w, long startVpn, long endVpn, Event event, int owner) {
        if (endVpn <= startVpn) {
            return;
        }
        for (Mirror m : w.mirrors.values()) {
            if (event == Event.MIGRATE && owner == m.device) {
                continue; // §3.0: MIGRATE events of the same device are ignored
            }
            m.pt.subMap(startVpn, true, endVpn, true).clear(); // inclusive end: the +1 page quirk
        }
    }

    static void invalidate(World w, long startVpn, long endVpn, Event event) {
        invalidate(w, startVpn, endVpn, event, NO_OWNER);
    }
}
