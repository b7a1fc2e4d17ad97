package hmmtest.abi;

/**
 * The default hugetlb page size and pool. Upstream's harness (7.3) runs
 * {@code HUGETLB_SETUP_DEFAULT_PAGES(1)} before the tests: it grows the pool until one default-size
 * page is free and restores the old pool size at exit. {@link #setupDefaultPages} does the same
 * through {@code /proc/sys/vm/nr_hugepages} (the default size's pool).
 */
public final class Hugetlb {
    private static final String NR_HUGEPAGES = "/proc/sys/vm/nr_hugepages";
    private static Long savedPool;

    private Hugetlb() {}

    /** "Hugepagesize:" of /proc/meminfo in bytes; 0 if hugetlb is not configured. */
    public static long defaultPageSize() {
        return SysFiles.meminfo("Hugepagesize:").orElse(0) << 10;
    }

    /** "HugePages_Free:" of /proc/meminfo: free pages of the default size. */
    public static long freeDefaultPages() {
        return SysFiles.meminfo("HugePages_Free:").orElse(0);
    }

    /**
     * Makes sure at least {@code nr} default-size huge pages are free, growing the pool if needed
     * (the old size is restored when the JVM exits). Returns null when they are, else why not.
     */
    public static synchronized String setupDefaultPages(long nr) {
        if (defaultPageSize() == 0) {
            return "no hugetlb support (no Hugepagesize in /proc/meminfo)";
        }
        long free = freeDefaultPages();
        if (free >= nr) {
            return null;
        }
        long total = SysFiles.meminfo("HugePages_Total:").orElse(0);
        if (savedPool == null) {
            savedPool = total;
            long restore = total;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> SysFiles.write(NR_HUGEPAGES, Long.toString(restore))));
        }
        String err = SysFiles.write(NR_HUGEPAGES, Long.toString(total + (nr - free)));
        if (err != null) {
            return "could not grow the hugetlb pool: " + err;
        }
        free = freeDefaultPages();
        return free >= nr ? null : "asked for " + nr + " free huge pages, the kernel gave " + free;
    }
}
