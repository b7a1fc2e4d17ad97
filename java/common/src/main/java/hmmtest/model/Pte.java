package hmmtest.model;

/**
 * The CPU page-table state of one virtual page of the test process (absent = {@code pte_none}).
 *
 * @param huge mapped by a PMD (THP, huge zero page, hugetlb, 7.3 device THP); the 512 pages of the
 *     PMD then all carry {@code huge = true}
 */
record Pte(Kind kind, int frame, boolean writable, boolean huge) {

    enum Kind {
        /** A present PTE (system, zero, page cache, device-coherent or device-file page). */
        PRESENT,
        /** A device-private swap entry: any CPU access migrates the page back (§3.5). */
        DEVICE_PRIVATE,
        /** A device-exclusive entry: any CPU access restores it and revokes exclusivity (§3.8). */
        EXCLUSIVE
    }

    static Pte present(int frame, boolean writable) {
        return new Pte(Kind.PRESENT, frame, writable, false);
    }

    Pte withWritable(boolean w) {
        return new Pte(kind, frame, w, huge);
    }

    Pte withHuge(boolean h) {
        return new Pte(kind, frame, writable, h);
    }
}
