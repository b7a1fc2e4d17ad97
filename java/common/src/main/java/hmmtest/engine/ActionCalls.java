package hmmtest.engine;

import hmmtest.model.Action;
import hmmtest.model.Advice;
import hmmtest.model.Layout;
import hmmtest.model.MapKind;
import hmmtest.model.Prot;
import hmmtest.uapi.Mm;

/**
 * How an action becomes system-call arguments: the one definition both executors follow (the
 * guest's RealExecutor through JNA, the guest's C executor on the host engine's behalf). Mappings
 * go to {@code layout.address(id, 0)} with {@code MAP_FIXED_NOREPLACE}; a private anonymous one is
 * then advised for or against THP as the action says.
 */
public final class ActionCalls {
    private ActionCalls() {}

    public static long bytes(long pages) {
        return pages << Layout.PAGE_SHIFT;
    }

    public static int prot(Prot p) {
        return (p.read() ? Mm.PROT_READ : 0) | (p.write() ? Mm.PROT_WRITE : 0);
    }

    public static int advice(Advice a) {
        return switch (a) {
            case DONTNEED -> Mm.MADV_DONTNEED;
            case FREE -> Mm.MADV_FREE;
            case HUGEPAGE -> Mm.MADV_HUGEPAGE;
            case NOHUGEPAGE -> Mm.MADV_NOHUGEPAGE;
        };
    }

    /** The mapping's length: a hugetlb mapping is one 2 MiB page whatever its page count. */
    public static long mmapBytes(Action.Mmap m) {
        return m.kind() == MapKind.HUGETLB ? bytes(Layout.PMD_PAGES) : bytes(m.pages());
    }

    /** mmap flags (the file, if any: a fresh memfd of the mapping's size, or the mirror fd handle). */
    public static int mmapFlags(Action.Mmap m) {
        return Mm.MAP_FIXED_NOREPLACE | switch (m.kind()) {
            case ANON_PRIVATE -> Mm.MAP_PRIVATE | Mm.MAP_ANONYMOUS;
            case ANON_SHARED -> Mm.MAP_SHARED | Mm.MAP_ANONYMOUS;
            case HUGETLB -> Mm.MAP_PRIVATE | Mm.MAP_ANONYMOUS | Mm.MAP_HUGETLB;
            case FILE_PRIVATE, DEVICE_FILE -> Mm.MAP_PRIVATE;
            case FILE_SHARED -> Mm.MAP_SHARED;
        };
    }

    /** The madvise after a successful mmap, or -1 for none. */
    public static int adviceAfterMmap(Action.Mmap m) {
        return m.kind() == MapKind.ANON_PRIVATE ? (m.thp() ? Mm.MADV_HUGEPAGE : Mm.MADV_NOHUGEPAGE) : -1;
    }

    public static int mremapFlags(Action.Mremap m) {
        return Mm.MREMAP_MAYMOVE | Mm.MREMAP_FIXED | (m.dontUnmap() ? Mm.MREMAP_DONTUNMAP : 0);
    }
}
