package hmmtest.model;

/**
 * Where mappings live. Every mapping id owns one 4 MiB slot of a 1 GiB-aligned arena, and the
 * executor maps it at {@link #address(int, long) address(id, 0)} with {@code MAP_FIXED_NOREPLACE}.
 *
 * <p>Why fixed addresses: the mirror erases one page more than each invalidated range (docs/model-spec.md
 * §3.0), so the model must know which page follows which. Slots start 2 MiB-aligned (THP and
 * hugetlb need that) and a mapping never exceeds 512 pages, so the upper half of every slot is a
 * guaranteed hole.
 *
 * <p>Executor contract: nothing else may be mapped in the arena or in the page just below it (a
 * JVM mapping ending at the arena base would erase the arena's first mirror entry when unmapped).
 */
public record Layout(long arenaBase) {
    public static final int PAGE_SHIFT = 12;
    public static final int SLOT_PAGES = 1024;
    public static final int PMD_PAGES = 512;
    public static final int MAX_SLOTS = 256;
    /** The arena's length: every slot (an executor's reset unmaps it whole). */
    public static final long ARENA_BYTES = (long) MAX_SLOTS * SLOT_PAGES << PAGE_SHIFT;
    /** 32 TiB: far from where glibc and the JVM put things on x86_64. */
    public static final long DEFAULT_ARENA_BASE = 0x2000_0000_0000L;

    public Layout {
        if ((arenaBase & ((1L << 30) - 1)) != 0) {
            throw new IllegalArgumentException("arena base must be 1 GiB aligned");
        }
    }

    public static Layout defaultLayout() {
        return new Layout(DEFAULT_ARENA_BASE);
    }

    public long address(int mapId, long page) {
        return arenaBase + (((long) mapId * SLOT_PAGES + page) << PAGE_SHIFT);
    }

    public long vpn(int mapId, long page) {
        return address(mapId, page) >>> PAGE_SHIFT;
    }

    public long slotBaseVpn(int mapId) {
        return vpn(mapId, 0);
    }
}
