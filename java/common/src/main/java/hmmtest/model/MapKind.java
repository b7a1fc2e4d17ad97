package hmmtest.model;

/**
 * What backs a mapping. The executor creates them as follows (all at the address the model's
 * {@link Layout} gives, with {@code MAP_FIXED_NOREPLACE}):
 *
 * <ul>
 *   <li>ANON_PRIVATE: {@code MAP_PRIVATE|MAP_ANONYMOUS}; then {@code MADV_HUGEPAGE} if thp, else
 *       {@code MADV_NOHUGEPAGE}.
 *   <li>ANON_SHARED: {@code MAP_SHARED|MAP_ANONYMOUS} (shmem).
 *   <li>FILE_SHARED / FILE_PRIVATE: a fresh {@code memfd_create} (tmpfs) of exactly the mapping's
 *       size, mapped {@code MAP_SHARED} / {@code MAP_PRIVATE}.
 *   <li>HUGETLB: {@code MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB}, one 2 MiB page.
 *   <li>DEVICE_FILE: {@code MAP_PRIVATE} of an open {@code /dev/hmm_dmirrorN} fd (§2.4).
 * </ul>
 */
public enum MapKind {
    ANON_PRIVATE,
    ANON_SHARED,
    FILE_PRIVATE,
    FILE_SHARED,
    HUGETLB,
    DEVICE_FILE;

    public boolean shared() {
        return this == ANON_SHARED || this == FILE_SHARED;
    }

    /** Has a shmem/memfd object whose page cache holds the contents. */
    public boolean hasObject() {
        return this == ANON_SHARED || this == FILE_SHARED || this == FILE_PRIVATE;
    }

    /** {@code vma_is_anonymous()}: holes may be populated by migration (§3.5). */
    public boolean anonymousVma() {
        return this == ANON_PRIVATE;
    }
}
