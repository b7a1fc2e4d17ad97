package hmmtest.model;

/**
 * One physical 4 KiB page as far as the model cares: what kind of memory it is, where it lives and
 * its content token. Immutable; the world replaces a frame to change it. Identities are never
 * reused, so a mirror entry pointing at a frame that no longer exists is a freed page (hazard H3).
 *
 * @param folio a large folio (THP, hugetlb page, device THP) this page belongs to, 0 if small
 * @param folioIndex index inside the folio; a "tail" page has index > 0 (6.12 EXCLUSIVE, §5.1)
 * @param anonExclusive {@code PageAnonExclusive}: cleared by fork, set again by a write fault reuse
 * @param migratedBy mirror (fd handle) that migrated the page to its device: its
 *     {@code zone_device_data}, whose entry a CPU fault erases (§3.0 "explicit erase")
 */
record Frame(int id, Kind kind, int device, long token, boolean anonExclusive,
             int folio, int folioIndex, int migratedBy) {

    enum Kind {
        /** The shared 4 KiB zero page. */
        ZERO,
        /** The huge zero page (a read fault on THP-eligible memory). */
        HUGE_ZERO,
        /** Anonymous system memory. */
        ANON,
        /** Page cache of a shmem/memfd object. */
        SHMEM,
        /** A page of a private hugetlb mapping (anonymous). */
        HUGETLB,
        /** Zeroed kernel page inserted by the device's own mmap (§2.4). */
        DEVFILE,
        /** DEVICE_PRIVATE memory of {@code device} (its backing page holds the data). */
        DEV_PRIVATE,
        /** DEVICE_COHERENT memory of {@code device}, CPU-addressable. */
        DEV_COHERENT
    }

    static final int ZERO_ID = 1;
    static final int HUGE_ZERO_ID = 2;

    /** {@code folio_test_anon}: pages that came from anonymous memory. */
    boolean anon() {
        return kind == Kind.ANON || kind == Kind.HUGETLB || kind == Kind.DEV_PRIVATE
                || kind == Kind.DEV_COHERENT;
    }

    boolean onDevice() {
        return kind == Kind.DEV_PRIVATE || kind == Kind.DEV_COHERENT;
    }

    Frame withToken(long t) {
        return new Frame(id, kind, device, t, anonExclusive, folio, folioIndex, migratedBy);
    }

    Frame withExclusive(boolean e) {
        return new Frame(id, kind, device, token, e, folio, folioIndex, migratedBy);
    }

    Frame withFolio(int f, int index) {
        return new Frame(id, kind, device, token, anonExclusive, f, index, migratedBy);
    }
}
