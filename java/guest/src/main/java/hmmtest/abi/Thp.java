package hmmtest.abi;

/** Transparent hugepage settings of the running kernel. */
public final class Thp {
    private static final String DIR = "/sys/kernel/mm/transparent_hugepage/";

    private Thp() {}

    /** hpage_pmd_size in bytes (upstream's read_pmd_pagesize()); 0 if THP is not built in. */
    public static long pmdSize() {
        String s = SysFiles.readOrNull(DIR + "hpage_pmd_size");
        return s == null ? 0 : Long.parseLong(s);
    }

    /** The bracketed word of "enabled" ("always", "madvise" or "never"); "absent" without THP. */
    public static String mode() {
        String s = SysFiles.readOrNull(DIR + "enabled");
        if (s == null) {
            return "absent";
        }
        int a = s.indexOf('[');
        int b = s.indexOf(']');
        return a >= 0 && b > a ? s.substring(a + 1, b) : s;
    }
}
