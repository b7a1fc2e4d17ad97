package hmmtest.model;

/**
 * The VMA attributes of one mapped virtual page (absent = no VMA). The model treats a maximal run
 * of contiguous pages with equal (map, prot, thpHint) as one kernel VMA, which is what the
 * kernel's split/merge produces for the operations modelled here.
 *
 * @param anonVma the VMA has an {@code anon_vma}: fork copies (and invalidates) only such private
 *     VMAs (§3.0 fork row). Setting it marks the whole run, as {@code anon_vma_prepare} would.
 * @param objIndex page index into the backing shmem/memfd object
 */
record VmaPage(int map, Prot prot, boolean thpHint, boolean anonVma, long objIndex) {

    boolean sameVma(VmaPage o) {
        return o != null && o.map == map && o.prot == prot && o.thpHint == thpHint;
    }

    VmaPage withProt(Prot p) {
        return new VmaPage(map, p, thpHint, anonVma, objIndex);
    }

    VmaPage withThpHint(boolean h) {
        return new VmaPage(map, prot, h, anonVma, objIndex);
    }

    VmaPage withAnonVma() {
        return new VmaPage(map, prot, thpHint, true, objIndex);
    }

    VmaPage movedTo(int newMap) {
        return new VmaPage(newMap, prot, thpHint, anonVma, objIndex);
    }
}
