package hmmtest.suite;

import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.MethodOrdererContext;

/**
 * Runs a fixture's tests in the order of upstream's hmm-tests.c (7.3, a superset of 6.12's), as
 * the kselftest harness does. The driver keeps device-global state between tests (chunks,
 * RELEASE, coherent free lists), so a fixed order makes a run reproducible and comparable with
 * upstream's; methods not in the list run after, by name.
 */
public final class UpstreamOrder implements MethodOrderer {
    static final List<String> HMM_TESTS_C = List.of(
            "open_close", "anon_read", "anon_read_prot", "anon_write", "anon_write_prot", "anon_write_child",
            "anon_write_child_shared", "anon_write_huge", "anon_write_hugetlbfs", "file_read", "file_write",
            "migrate", "migrate_file_private", "migrate_fault", "migrate_release", "migrate_shared",
            "migrate_mixed", "migrate_multiple", "anon_read_multiple", "anon_teardown", "mixedmap", "snapshot",
            "compound", "double_map", "exclusive", "exclusive_mprotect", "exclusive_cow", "hmm_gup_test",
            "hmm_cow_in_device", "migrate_anon_huge_empty", "migrate_anon_huge_zero", "migrate_anon_huge_free",
            "migrate_anon_huge_fault", "migrate_partial_unmap_fault", "migrate_remap_fault",
            "migrate_anon_huge_err", "migrate_anon_huge_zero_err", "benchmark_thp_migration", "userfaultfd_read");

    @Override
    public void orderMethods(MethodOrdererContext context) {
        context.getMethodDescriptors().sort(Comparator
                .comparingInt((org.junit.jupiter.api.MethodDescriptor m) -> rank(m.getMethod().getName()))
                .thenComparing(m -> m.getMethod().getName()));
    }

    private static int rank(String name) {
        int i = HMM_TESTS_C.indexOf(name);
        return i < 0 ? Integer.MAX_VALUE : i;
    }
}
