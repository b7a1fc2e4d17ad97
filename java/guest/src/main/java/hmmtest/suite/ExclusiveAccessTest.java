package hmmtest.suite;

import static hmmtest.uapi.Command.CHECK_EXCLUSIVE;
import static hmmtest.uapi.Command.EXCLUSIVE;
import static hmmtest.uapi.Command.MIGRATE_TO_DEV;
import static hmmtest.uapi.Command.READ;
import static hmmtest.uapi.Command.SNAPSHOT;
import static hmmtest.uapi.Command.WRITE;
import static hmmtest.abi.Sys.MAP_ANONYMOUS;
import static hmmtest.abi.Sys.MAP_PRIVATE;
import static hmmtest.abi.Sys.MAP_SHARED;
import static hmmtest.abi.Sys.PROT_NONE;
import static hmmtest.abi.Sys.PROT_READ;
import static hmmtest.abi.Sys.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hmmtest.abi.ChildProcess;
import hmmtest.abi.CmdResult;
import hmmtest.abi.Dmirror;
import hmmtest.uapi.Errno;
import hmmtest.abi.ErrnoException;
import hmmtest.abi.Hugetlb;
import hmmtest.abi.Mapping;
import hmmtest.abi.NativeHelpers;
import hmmtest.uapi.SnapshotByte;
import hmmtest.abi.Sys;
import hmmtest.abi.Thp;
import hmmtest.abi.TmpFile;
import hmmtest.abi.WaitStatus;
import java.nio.IntBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * HMM_DMIRROR_EXCLUSIVE beyond upstream: where make_device_exclusive_range() (6.12) and
 * make_device_exclusive() (7.3) differ, each test asserts the running driver's expectation and
 * its name or message says what the other kernel does (docs/model-spec.md §3.8, 3.9 and 5; measured.md).
 * Buffers are private anonymous memory with THP off (6.12 rejects THP-backed memory; only the
 * THP test wants it) between two guard pages, because an invalidation of a neighbouring range
 * erases one mirror entry past its end (docs/model-spec.md §3.0) and the JVM maps and unmaps all the time.
 */
@DisplayName("exclusive")
@TestMethodOrder(MethodOrderer.MethodName.class)
class ExclusiveAccessTest {
    static final int PAGE_SIZE = 4096;
    static final int PAGE_SHIFT = 12;
    static final long CHILD_TIMEOUT_MS = 120_000;
    static final int NPAGES = 8;

    private Dmirror dmirror;

    @BeforeEach
    void openDevice() {
        dmirror = Dmirror.open(0);
    }

    @AfterEach
    void closeDevice() {
        assertEquals(0, dmirror.closeFd(), "close(fd)");
    }

    /** 7.3's errno where 6.12 turns every failure into EBUSY. */
    private static int perAbi(int errno73) {
        return Kernel.per(-Errno.EBUSY, -errno73);
    }

    private static String perAbiMessage(String what, int errno73) {
        return what + ": 6.12 (make_device_exclusive_range) answers EBUSY, 7.3 (make_device_exclusive) "
                + Errno.describe(errno73) + "; running " + Kernel.abi();
    }

    /**
     * {@code npages} of private anonymous RW memory with THP off and a guard page on either side;
     * {@code ptr} is the middle part. Filled with 0, 1, 2, ... as ints.
     */
    private static HmmBuffer guarded(int npages) {
        HmmBuffer b = HmmBuffer.alloc((npages + 2L) * PAGE_SIZE, (long) npages * PAGE_SIZE, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1);
        b.map.advise(Sys.MADV_NOHUGEPAGE);
        b.pointAt(PAGE_SIZE, (long) npages * PAGE_SIZE);
        Ints.fill(b.ptr.ints(), 0, npages * PAGE_SIZE / 4, i -> i);
        return b;
    }

    /** CHECK_EXCLUSIVE of one page {@code i} of {@code buffer}. */
    private int checkPage(Dmirror d, HmmBuffer buffer, long i) {
        return d.checkExclusive(buffer.ptr.page(i), 1).ret();
    }

    /**
     * SNAPSHOT bytes of {@code npages} at {@code addr}, written into {@code out} (allocated before
     * any hole was punched: a fresh one-page mmap would land in the hole and fill it).
     */
    private static byte[] snapshot(Dmirror d, long addr, int npages, Mapping out) {
        CmdResult r = d.snapshot(addr, out.addr(), npages);
        assertEquals(0, r.ret(), "SNAPSHOT");
        byte[] bytes = new byte[npages];
        out.bytes().get(bytes);
        return bytes;
    }

    private static void assertExclusiveData(HmmBuffer buffer, int npages) {
        Ints.assertRange("mirror", buffer.mirror.ints(), 0, npages * PAGE_SIZE / 4, i -> i);
    }

    /**
     * THP-backed memory (a PMD-mapped 2 MiB folio, SNAPSHOT WRITE|PMD): 6.12 rejects it with EBUSY
     * (FOLL_SPLIT_PMD leaves a PTE-mapped large folio whose tail pages it refuses), 7.3 converts it
     * page by page, cpages 512. Both keep the data.
     */
    @Test
    void thp_backed_ebusy_on_6_12_works_on_7_3(org.junit.jupiter.api.TestReporter reporter) {
        long size = Thp.pmdSize();
        Assumptions.assumeTrue(size > 0, "no THP in this kernel");
        long npages = size >> PAGE_SHIFT;
        try (HmmBuffer buffer = HmmBuffer.alloc(2 * size, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1)) {
            Mapping map = buffer.alignPtr(size, size);
            map.advise(Sys.MADV_HUGEPAGE);
            int n = (int) (size / 4);
            Ints.fill(map.ints(), 0, n, i -> i);
            byte[] before = snapshot(dmirror, map.addr(), (int) npages, buffer.mirror);
            Assumptions.assumeTrue((before[0] & 0xff) == (SnapshotByte.WRITE | SnapshotByte.PMD), () -> "the buffer is not THP-backed (SNAPSHOT "
                    + SnapshotByte.describe(before[0]) + ", THP mode " + Thp.mode() + ")");

            int ret = buffer.cmd(dmirror, EXCLUSIVE, npages);
            reporter.publishEntry("EXCLUSIVE of a THP-backed 2 MiB range",
                    ret == 0 ? "0 (cpages " + buffer.cpages + ")" : hmmtest.uapi.Errno.describe(ret));
            if (!Kernel.is73()) {
                assertEquals(-Errno.EBUSY, ret, "6.12: EXCLUSIVE of THP-backed memory is EBUSY (7.3 converts it, cpages "
                        + npages + ")");
            } else {
                assertEquals(0, ret, "7.3: EXCLUSIVE of THP-backed memory works (6.12 answers EBUSY)");
                assertEquals(npages, buffer.cpages, "7.3: cpages of a THP-backed range");
                Ints.assertRange("mirror", buffer.mirror.ints(), 0, n, i -> i);
                assertEquals(-Errno.EPERM, buffer.cmd(dmirror, CHECK_EXCLUSIVE, npages), "atomic entries present");
            }
            // Exclusivity only revokes access: the CPU gets every value back.
            Ints.assertRange("ptr", map.ints(), 0, n, i -> i);
            assertEquals(0, buffer.cmd(dmirror, CHECK_EXCLUSIVE, npages), "every page touched: nothing exclusive");
        }
    }

    /** MAP_SHARED|MAP_ANONYMOUS (shmem, not anonymous folios): 7.3 EOPNOTSUPP, 6.12 EBUSY. */
    @Test
    void shared_anonymous_ebusy_on_6_12_eopnotsupp_on_7_3() {
        try (HmmBuffer buffer = HmmBuffer.alloc(NPAGES * PAGE_SIZE, NPAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
                MAP_SHARED | MAP_ANONYMOUS, -1)) {
            Ints.fill(buffer.ptr.ints(), 0, NPAGES * PAGE_SIZE / 4, i -> i);
            assertEquals(perAbi(Errno.EOPNOTSUPP), buffer.cmd(dmirror, EXCLUSIVE, NPAGES),
                    perAbiMessage("MAP_SHARED|MAP_ANONYMOUS", Errno.EOPNOTSUPP));
            Ints.assertRange("ptr", buffer.ptr.ints(), 0, NPAGES * PAGE_SIZE / 4, i -> i);
            assertEquals(0, buffer.cmd(dmirror, CHECK_EXCLUSIVE, NPAGES));
        }
    }

    /** A MAP_SHARED tmpfs file (O_TMPFILE in /tmp): 7.3 EOPNOTSUPP, 6.12 EBUSY. */
    @Test
    void shared_file_ebusy_on_6_12_eopnotsupp_on_7_3() {
        long size = NPAGES * PAGE_SIZE;
        try (TmpFile file = TmpFile.create(size);
                HmmBuffer buffer = HmmBuffer.alloc(size, size, PROT_READ | PROT_WRITE, MAP_SHARED, file.fd())) {
            Ints.fill(buffer.ptr.ints(), 0, (int) size / 4, i -> i);
            assertEquals(perAbi(Errno.EOPNOTSUPP), buffer.cmd(dmirror, EXCLUSIVE, NPAGES),
                    perAbiMessage("MAP_SHARED file", Errno.EOPNOTSUPP));
            assertEquals(0, buffer.cmd(dmirror, CHECK_EXCLUSIVE, NPAGES));
        }
    }

    /** A memfd (shmem) mapped MAP_SHARED: 7.3 EOPNOTSUPP, 6.12 EBUSY. */
    @Test
    void memfd_shmem_ebusy_on_6_12_eopnotsupp_on_7_3() {
        long size = NPAGES * PAGE_SIZE;
        int fd = Sys.memfdCreate("hmmtest", Sys.MFD_CLOEXEC);
        assertTrue(fd >= 0, "memfd_create: " + Errno.describe(fd));
        try {
            assertEquals(0, Sys.ftruncate(fd, size));
            try (HmmBuffer buffer = HmmBuffer.alloc(size, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd)) {
                Ints.fill(buffer.ptr.ints(), 0, (int) size / 4, i -> i);
                assertEquals(perAbi(Errno.EOPNOTSUPP), buffer.cmd(dmirror, EXCLUSIVE, NPAGES),
                        perAbiMessage("memfd (shmem)", Errno.EOPNOTSUPP));
            }
        } finally {
            Sys.close(fd);
        }
    }

    /** hugetlb memory: 7.3 EOPNOTSUPP (GUP refuses FOLL_SPLIT_PMD on hugetlb), 6.12 EBUSY. */
    @Test
    void hugetlb_ebusy_on_6_12_eopnotsupp_on_7_3() {
        String setup = Kernel.hugetlbSetup();
        long hsize = Hugetlb.defaultPageSize();
        Assumptions.assumeTrue(hsize > 0, "no hugetlb support");
        HmmBuffer buffer;
        try {
            buffer = HmmBuffer.alloc(hsize, hsize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | Sys.MAP_HUGETLB, -1);
        } catch (ErrnoException e) {
            Assumptions.abort("Huge page could not be allocated: " + e.getMessage() + (setup == null ? "" : "; " + setup));
            return;
        }
        try (buffer) {
            long npages = hsize >> PAGE_SHIFT;
            Ints.fill(buffer.ptr.ints(), 0, (int) (hsize / 4), i -> i);
            assertEquals(perAbi(Errno.EOPNOTSUPP), buffer.cmd(dmirror, EXCLUSIVE, npages),
                    perAbiMessage("hugetlb", Errno.EOPNOTSUPP));
            Ints.assertRange("ptr", buffer.ptr.ints(), 0, (int) (hsize / 4), i -> i);
        }
    }

    /**
     * A MAP_PRIVATE file mapping works on both: FOLL_WRITE copies each page on write into an
     * anonymous page. The file itself keeps its contents.
     */
    @Test
    void private_file_copy_on_write_works() {
        long size = NPAGES * PAGE_SIZE;
        try (TmpFile file = TmpFile.create(size);
                HmmBuffer buffer = HmmBuffer.alloc(size, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, file.fd())) {
            Ints.fill(buffer.mirror.ints(), 0, (int) size / 4, i -> i);
            assertEquals(size, file.pwrite(buffer.mirror, size, 0));
            buffer.mirror.pointer().setMemory(0, size, (byte) 0);

            assertEquals(0, buffer.cmd(dmirror, EXCLUSIVE, NPAGES));
            assertEquals(NPAGES, buffer.cpages);
            assertExclusiveData(buffer, NPAGES);
            assertEquals(-Errno.EPERM, buffer.cmd(dmirror, CHECK_EXCLUSIVE, NPAGES));

            // The CPU writes its private copy; the file is unchanged.
            IntBuffer ptr = buffer.ptr.ints();
            Ints.fill(ptr, 0, (int) size / 4, i -> -i);
            assertEquals(size, file.pread(buffer.mirror, size, 0));
            assertExclusiveData(buffer, NPAGES);
        }
    }

    /** A PROT_READ mapping: 7.3 EFAULT (GUP with FOLL_WRITE), 6.12 EBUSY. */
    @Test
    void read_only_mapping_ebusy_on_6_12_efault_on_7_3() {
        try (HmmBuffer buffer = guarded(NPAGES)) {
            buffer.ptr.protect(PROT_READ);
            assertEquals(perAbi(Errno.EFAULT), buffer.cmd(dmirror, EXCLUSIVE, NPAGES),
                    perAbiMessage("PROT_READ mapping", Errno.EFAULT));
            Ints.assertRange("ptr", buffer.ptr.ints(), 0, NPAGES * PAGE_SIZE / 4, i -> i);
            assertEquals(0, buffer.cmd(dmirror, CHECK_EXCLUSIVE, NPAGES));
        }
    }

    /** A PROT_NONE mapping: 7.3 EFAULT, 6.12 EBUSY. */
    @Test
    void prot_none_mapping_ebusy_on_6_12_efault_on_7_3() {
        try (HmmBuffer buffer = guarded(NPAGES)) {
            buffer.ptr.protect(PROT_NONE);
            assertEquals(perAbi(Errno.EFAULT), buffer.cmd(dmirror, EXCLUSIVE, NPAGES),
                    perAbiMessage("PROT_NONE mapping", Errno.EFAULT));
            buffer.ptr.protect(PROT_READ);
            Ints.assertRange("ptr", buffer.ptr.ints(), 0, NPAGES * PAGE_SIZE / 4, i -> i);
        }
    }

    /** An unmapped range: 7.3 EFAULT, 6.12 EBUSY. */
    @Test
    void unmapped_hole_ebusy_on_6_12_efault_on_7_3() {
        try (HmmBuffer buffer = guarded(NPAGES)) {
            assertEquals(0, buffer.ptr.unmap(0, NPAGES * PAGE_SIZE));
            assertEquals(perAbi(Errno.EFAULT), buffer.cmd(dmirror, EXCLUSIVE, NPAGES),
                    perAbiMessage("unmapped range", Errno.EFAULT));
            assertEquals(0, buffer.cmd(dmirror, CHECK_EXCLUSIVE, NPAGES));
        }
    }

    /**
     * A hole at page 2 of 4: both kernels convert pages 0 and 1 on the CPU side (SNAPSHOT NONE)
     * before failing, but only 7.3 leaves them ATOMIC in the mirror (EFAULT, CHECK_EXCLUSIVE
     * EPERM); 6.12 maps nothing because GUP came back short (EBUSY, CHECK_EXCLUSIVE 0).
     */
    @Test
    void hole_inside_range_prefix_atomic_only_on_7_3() {
        int npages = 4;
        try (HmmBuffer buffer = guarded(npages)) {
            assertEquals(0, buffer.ptr.unmap(2L * PAGE_SIZE, PAGE_SIZE));
            assertEquals(perAbi(Errno.EFAULT), buffer.cmd(dmirror, EXCLUSIVE, npages),
                    perAbiMessage("range with a hole at page 2", Errno.EFAULT));

            byte[] m = snapshot(dmirror, buffer.ptr.addr(), npages, buffer.mirror);
            assertEquals(SnapshotByte.NONE, m[0] & 0xff, "page 0 is device-exclusive on the CPU side: " + SnapshotByte.describe(m[0]));
            assertEquals(SnapshotByte.NONE, m[1] & 0xff, "page 1 is device-exclusive on the CPU side: " + SnapshotByte.describe(m[1]));
            assertEquals(SnapshotByte.ERROR, m[2] & 0xff, "page 2 is a hole: " + SnapshotByte.describe(m[2]));
            assertEquals(SnapshotByte.WRITE, m[3] & 0xff, "page 3 is untouched: " + SnapshotByte.describe(m[3]));

            assertEquals(Kernel.per(0, -Errno.EPERM), buffer.cmd(dmirror, CHECK_EXCLUSIVE, 2),
                    "prefix pages: ATOMIC in 7.3's mirror (EPERM), not in 6.12's (0)");

            // The CPU takes them back with the data intact; nothing stays exclusive.
            Ints.assertRange("ptr", buffer.ptr.ints(), 0, 2 * PAGE_SIZE / 4, i -> i);
            assertEquals(0, buffer.cmd(dmirror, CHECK_EXCLUSIVE, 2));
        }
    }

    /** Memory never touched, and memory mapping the zero page, is write-faulted in by EXCLUSIVE. */
    @Test
    void untouched_and_zero_page_memory_works() {
        int npages = 4;
        try (HmmBuffer buffer = HmmBuffer.alloc((npages + 2L) * PAGE_SIZE, (long) npages * PAGE_SIZE,
                PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1)) {
            buffer.map.advise(Sys.MADV_NOHUGEPAGE);
            buffer.pointAt(PAGE_SIZE, (long) npages * PAGE_SIZE);
            // Pages 0-1 untouched (pte_none), pages 2-3 read once (zero page).
            IntBuffer ptr = buffer.ptr.ints();
            assertEquals(0, ptr.get(2 * PAGE_SIZE / 4));
            assertEquals(0, ptr.get(3 * PAGE_SIZE / 4));
            buffer.mirror.pointer().setMemory(0, (long) npages * PAGE_SIZE, (byte) 0x5a);

            assertEquals(0, buffer.cmd(dmirror, EXCLUSIVE, npages));
            assertEquals(npages, buffer.cpages);
            Ints.assertRange("mirror", buffer.mirror.ints(), 0, npages * PAGE_SIZE / 4, i -> 0);
            assertEquals(-Errno.EPERM, buffer.cmd(dmirror, CHECK_EXCLUSIVE, npages));
            Ints.assertRange("ptr", ptr, 0, npages * PAGE_SIZE / 4, i -> 0);
        }
    }

    /** EXCLUSIVE of pages that are already exclusive: GUP restores and re-converts them; 0 again. */
    @Test
    void re_exclusive_of_exclusive_pages() {
        try (HmmBuffer buffer = guarded(NPAGES)) {
            assertEquals(0, buffer.cmd(dmirror, EXCLUSIVE, NPAGES));
            assertEquals(0, buffer.cmd(dmirror, EXCLUSIVE, NPAGES), "second EXCLUSIVE");
            assertEquals(NPAGES, buffer.cpages);
            assertExclusiveData(buffer, NPAGES);
            for (int i = 0; i < NPAGES; i++) {
                assertEquals(-Errno.EPERM, checkPage(dmirror, buffer, i), "page " + i + " still ATOMIC");
            }
        }
    }

    /** SNAPSHOT sees device-exclusive PTEs as NONE (0x00) and does not revoke them. */
    @Test
    void snapshot_shows_none_and_keeps_exclusive() {
        try (HmmBuffer buffer = guarded(NPAGES)) {
            assertEquals(0, buffer.cmd(dmirror, EXCLUSIVE, NPAGES));
            byte[] m = snapshot(dmirror, buffer.ptr.addr(), NPAGES, buffer.mirror);
            for (int i = 0; i < NPAGES; i++) {
                assertEquals(SnapshotByte.NONE, m[i] & 0xff, "page " + i + ": " + SnapshotByte.describe(m[i]));
            }
            assertEquals(-Errno.EPERM, buffer.cmd(dmirror, CHECK_EXCLUSIVE, NPAGES));
        }
    }

    /** READ through the same mirror reads ATOMIC entries without faulting: exclusivity stays. */
    @Test
    void read_same_mirror_keeps_exclusive() {
        try (HmmBuffer buffer = guarded(NPAGES)) {
            assertEquals(0, buffer.cmd(dmirror, EXCLUSIVE, NPAGES));
            buffer.mirror.pointer().setMemory(0, buffer.mirror.size(), (byte) 0);
            assertEquals(0, buffer.cmd(dmirror, READ, NPAGES));
            assertEquals(NPAGES, buffer.cpages);
            assertEquals(0, buffer.faults, "no fault: the ATOMIC entries serve the read");
            assertExclusiveData(buffer, NPAGES);
            assertEquals(-Errno.EPERM, buffer.cmd(dmirror, CHECK_EXCLUSIVE, NPAGES));
        }
    }

    /** WRITE through the same mirror needs WRITE entries: it faults, which revokes the exclusivity. */
    @Test
    void write_same_mirror_revokes() {
        try (HmmBuffer buffer = guarded(NPAGES)) {
            assertEquals(0, buffer.cmd(dmirror, EXCLUSIVE, NPAGES));
            Ints.fill(buffer.mirror.ints(), 0, NPAGES * PAGE_SIZE / 4, i -> -i);
            assertEquals(0, buffer.cmd(dmirror, WRITE, NPAGES));
            assertEquals(NPAGES, buffer.cpages);
            assertEquals(1, buffer.faults);
            assertEquals(0, buffer.cmd(dmirror, CHECK_EXCLUSIVE, NPAGES));
            Ints.assertRange("ptr", buffer.ptr.ints(), 0, NPAGES * PAGE_SIZE / 4, i -> -i);
        }
    }

    /** READ through another device's mirror faults the pages, which revokes device 0's exclusivity. */
    @Test
    void read_other_device_revokes() {
        try (Dmirror other = Dmirror.open(1); HmmBuffer buffer = guarded(NPAGES)) {
            assertEquals(0, buffer.cmd(dmirror, EXCLUSIVE, NPAGES));
            assertEquals(0, buffer.cmd(other, READ, NPAGES));
            assertEquals(1, buffer.faults);
            assertExclusiveData(buffer, NPAGES);
            assertEquals(0, buffer.cmd(dmirror, CHECK_EXCLUSIVE, NPAGES), "device 0 lost its ATOMIC entries");
            assertEquals(0, other.closeFd());
        }
    }

    /** EXCLUSIVE on device 1 after device 0: device 1 holds the pages, device 0 does not. */
    @Test
    void two_devices_last_one_wins() {
        try (Dmirror other = Dmirror.open(1); HmmBuffer buffer = guarded(NPAGES)) {
            assertEquals(0, buffer.cmd(dmirror, EXCLUSIVE, NPAGES));
            assertEquals(0, buffer.cmd(other, EXCLUSIVE, NPAGES));
            assertExclusiveData(buffer, NPAGES);
            assertEquals(0, buffer.cmd(dmirror, CHECK_EXCLUSIVE, NPAGES), "device 0");
            assertEquals(-Errno.EPERM, buffer.cmd(other, CHECK_EXCLUSIVE, NPAGES), "device 1");
            assertEquals(0, other.closeFd());
        }
    }

    /**
     * A CPU read of exclusive page k restores it and its invalidation erases mirror entries k
     * and k+1 (inclusive end, docs/model-spec.md §3.0): CHECK_EXCLUSIVE says 0 for both although page
     * k+1's PTE is still device-exclusive (SNAPSHOT NONE). The rest stay ATOMIC.
     */
    @Test
    void partial_revocation_erases_touched_and_next_page() {
        int k = 3;
        try (HmmBuffer buffer = guarded(NPAGES)) {
            assertEquals(0, buffer.cmd(dmirror, EXCLUSIVE, NPAGES));
            IntBuffer ptr = buffer.ptr.ints();
            assertEquals(k * PAGE_SIZE / 4, ptr.get(k * PAGE_SIZE / 4), "CPU read of page " + k);

            for (int i = 0; i < NPAGES; i++) {
                int want = i == k || i == k + 1 ? 0 : -Errno.EPERM;
                assertEquals(want, checkPage(dmirror, buffer, i), "CHECK_EXCLUSIVE of page " + i + " after touching page " + k);
            }
            assertEquals(-Errno.EPERM, buffer.cmd(dmirror, CHECK_EXCLUSIVE, NPAGES), "whole range: others still ATOMIC");

            byte[] m = snapshot(dmirror, buffer.ptr.addr(), NPAGES, buffer.mirror);
            assertEquals(SnapshotByte.WRITE, m[k] & 0xff, "page k restored: " + SnapshotByte.describe(m[k]));
            assertEquals(SnapshotByte.NONE, m[k + 1] & 0xff, "page k+1 still device-exclusive on the CPU side: " + SnapshotByte.describe(m[k + 1]));

            // The last page: its invalidation erases the guard page's (empty) entry.
            int last = NPAGES - 1;
            assertEquals(last * PAGE_SIZE / 4, ptr.get(last * PAGE_SIZE / 4));
            assertEquals(0, checkPage(dmirror, buffer, last));
            assertEquals(-Errno.EPERM, checkPage(dmirror, buffer, last - 1));
            Ints.assertRange("ptr", ptr, 0, NPAGES * PAGE_SIZE / 4, i -> i);
        }
    }

    /** mprotect(PROT_READ) invalidates: no ATOMIC entry left, reads work, device WRITE is EPERM. */
    @Test
    void mprotect_read_only_revokes() {
        try (HmmBuffer buffer = guarded(NPAGES)) {
            assertEquals(0, buffer.cmd(dmirror, EXCLUSIVE, NPAGES));
            buffer.ptr.protect(PROT_READ);
            assertEquals(0, buffer.cmd(dmirror, CHECK_EXCLUSIVE, NPAGES));
            Ints.assertRange("ptr", buffer.ptr.ints(), 0, NPAGES * PAGE_SIZE / 4, i -> i);
            assertEquals(-Errno.EPERM, buffer.cmd(dmirror, WRITE, NPAGES));
            buffer.ptr.protect(PROT_READ | PROT_WRITE);
            Ints.fill(buffer.ptr.ints(), 0, NPAGES * PAGE_SIZE / 4, i -> i + 1);
            Ints.assertRange("ptr", buffer.ptr.ints(), 0, NPAGES * PAGE_SIZE / 4, i -> i + 1);
        }
    }

    /** munmap of exclusive pages: the invalidation drops the ATOMIC entries, nothing is left. */
    @Test
    void munmap_revokes() {
        try (HmmBuffer buffer = guarded(NPAGES)) {
            assertEquals(0, buffer.cmd(dmirror, EXCLUSIVE, NPAGES));
            assertEquals(0, buffer.ptr.unmap(0, NPAGES * PAGE_SIZE));
            assertEquals(0, buffer.cmd(dmirror, CHECK_EXCLUSIVE, NPAGES));
            byte[] m = snapshot(dmirror, buffer.ptr.addr(), NPAGES, buffer.mirror);
            assertEquals(SnapshotByte.ERROR, m[0] & 0xff, "unmapped: " + SnapshotByte.describe(m[0]));
        }
    }

    /** MADV_DONTNEED of exclusive pages drops them: no ATOMIC entry, the CPU reads zeros. */
    @Test
    void madvise_dontneed_revokes_and_zeroes() {
        try (HmmBuffer buffer = guarded(NPAGES)) {
            assertEquals(0, buffer.cmd(dmirror, EXCLUSIVE, NPAGES));
            buffer.ptr.advise(Sys.MADV_DONTNEED);
            assertEquals(0, buffer.cmd(dmirror, CHECK_EXCLUSIVE, NPAGES));
            Ints.assertRange("ptr", buffer.ptr.ints(), 0, NPAGES * PAGE_SIZE / 4, i -> 0);
        }
    }

    /** mremap of exclusive pages: the data moves, neither the old nor the new range is ATOMIC. */
    @Test
    void mremap_moves_data_and_revokes() {
        try (HmmBuffer buffer = HmmBuffer.alloc((2 * NPAGES + 3L) * PAGE_SIZE, NPAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1)) {
            buffer.map.advise(Sys.MADV_NOHUGEPAGE);
            Mapping old = buffer.pointAt(PAGE_SIZE, NPAGES * PAGE_SIZE);
            Ints.fill(old.ints(), 0, NPAGES * PAGE_SIZE / 4, i -> i);
            assertEquals(0, buffer.cmd(dmirror, EXCLUSIVE, NPAGES));

            Mapping moved = old.remap(old.addr() + (NPAGES + 1L) * PAGE_SIZE, Sys.MREMAP_MAYMOVE | Sys.MREMAP_FIXED);
            assertEquals(0, dmirror.checkExclusive(old.addr(), NPAGES).ret(), "old range");
            assertEquals(0, dmirror.checkExclusive(moved.addr(), NPAGES).ret(), "new range");
            Ints.assertRange("moved", moved.ints(), 0, NPAGES * PAGE_SIZE / 4, i -> i);
        }
    }

    /**
     * fork of exclusive pages: the fork's invalidation of the COW mapping drops the parent's
     * ATOMIC entries at once, the PTEs are restored before copying, and the child (C) and the
     * parent both see and increment the data independently.
     */
    @Test
    void fork_revokes_and_both_see_the_data() {
        try (HmmBuffer buffer = guarded(NPAGES)) {
            assertEquals(0, buffer.cmd(dmirror, EXCLUSIVE, NPAGES));
            try (ChildProcess child = NativeHelpers.forkIncrementChild(buffer.ptr)) {
                assertEquals(0, buffer.cmd(dmirror, CHECK_EXCLUSIVE, NPAGES), "parent's entries after fork");
                WaitStatus status = child.waitFor(CHILD_TIMEOUT_MS);
                assertTrue(status.exited(), child.describe());
                assertEquals(0, status.exitStatus(), child.describe());
            }
            Ints.assertRange("parent ptr", buffer.ptr.ints(), 0, NPAGES * PAGE_SIZE / 4, i -> i);
        }
    }

    /**
     * MIGRATE_TO_DEV on the same device skips device-exclusive PTEs (only device-private swap
     * entries and present pages are collected) but succeeds: the ATOMIC entries satisfy its
     * read-back. The pages stay exclusive and in system memory.
     */
    @Test
    void migrate_to_device_skips_exclusive_pages() {
        try (HmmBuffer buffer = guarded(NPAGES)) {
            assertEquals(0, buffer.cmd(dmirror, EXCLUSIVE, NPAGES));
            buffer.mirror.pointer().setMemory(0, buffer.mirror.size(), (byte) 0);
            assertEquals(0, buffer.cmd(dmirror, MIGRATE_TO_DEV, NPAGES));
            assertEquals(NPAGES, buffer.cpages);
            assertExclusiveData(buffer, NPAGES);
            byte[] m = snapshot(dmirror, buffer.ptr.addr(), NPAGES, buffer.mirror);
            for (int i = 0; i < NPAGES; i++) {
                assertEquals(SnapshotByte.NONE, m[i] & 0xff, "page " + i + " not migrated, still exclusive: " + SnapshotByte.describe(m[i]));
            }
            assertEquals(-Errno.EPERM, buffer.cmd(dmirror, CHECK_EXCLUSIVE, NPAGES));
        }
    }

    /** EXCLUSIVE of pages on device-private memory: GUP migrates them back first; data intact. */
    @Test
    void exclusive_of_device_private_pages() {
        try (HmmBuffer buffer = guarded(NPAGES)) {
            assertEquals(0, buffer.cmd(dmirror, MIGRATE_TO_DEV, NPAGES));
            byte[] before = snapshot(dmirror, buffer.ptr.addr(), NPAGES, buffer.mirror);
            assertEquals(SnapshotByte.DEV_PRIVATE_LOCAL | SnapshotByte.WRITE, before[0] & 0xff, SnapshotByte.describe(before[0]));

            buffer.mirror.pointer().setMemory(0, buffer.mirror.size(), (byte) 0);
            assertEquals(0, buffer.cmd(dmirror, EXCLUSIVE, NPAGES));
            assertEquals(NPAGES, buffer.cpages);
            assertExclusiveData(buffer, NPAGES);
            byte[] m = snapshot(dmirror, buffer.ptr.addr(), NPAGES, buffer.mirror);
            assertEquals(SnapshotByte.NONE, m[0] & 0xff, "back in system memory, device-exclusive: " + SnapshotByte.describe(m[0]));
            assertEquals(-Errno.EPERM, buffer.cmd(dmirror, CHECK_EXCLUSIVE, NPAGES));
            Ints.assertRange("ptr", buffer.ptr.ints(), 0, NPAGES * PAGE_SIZE / 4, i -> i);
        }
    }
}
