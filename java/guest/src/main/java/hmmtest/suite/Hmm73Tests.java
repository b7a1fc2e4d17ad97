package hmmtest.suite;

import static hmmtest.uapi.Command.FLAGS;
import static hmmtest.uapi.Command.MIGRATE_TO_DEV;
import static hmmtest.uapi.Command.MIGRATE_TO_SYS;
import static hmmtest.uapi.Command.READ_UNLOCKED;
import static hmmtest.uapi.Command.SNAPSHOT;
import static hmmtest.abi.Sys.MAP_ANONYMOUS;
import static hmmtest.abi.Sys.MAP_PRIVATE;
import static hmmtest.abi.Sys.PROT_READ;
import static hmmtest.abi.Sys.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import hmmtest.uapi.Errno;
import hmmtest.abi.ErrnoException;
import hmmtest.abi.Mapping;
import hmmtest.abi.Pagemap;
import hmmtest.uapi.SnapshotByte;
import hmmtest.abi.Sys;
import hmmtest.abi.Thp;
import hmmtest.abi.Userfaultfd;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ports of the {@code TEST_F(hmm, ...)} cases upstream added after 6.12 (THP migration,
 * FLAGS/FAIL_ALLOC, READ_UNLOCKED with userfaultfd, the migration benchmark). On a 6.12 driver
 * each SKIPs with the reason; on 7.3 they run with upstream's assertions.
 */
abstract class Hmm73Tests extends HmmTests {
    /** HMM_DMIRROR_FLAG_FAIL_ALLOC: the next device page allocation of this fd fails (one-shot). */
    static final long HMM_DMIRROR_FLAG_FAIL_ALLOC = 1;

    private static long pmdSize() {
        long size = Thp.pmdSize();
        assertNotEquals(0, size, "read_pmd_pagesize(): no " + "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size");
        return size;
    }

    /** Migrate a private anonymous huge empty (never touched, PROT_READ) page: reads zeros. */
    @Test
    void migrate_anon_huge_empty() {
        Kernel.assumeUpstreamTestExists("migrate_anon_huge_empty");
        long size = pmdSize();
        try (HmmBuffer buffer = HmmBuffer.alloc(2 * size, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1)) {
            buffer.mirror.pointer().setMemory(0, size, (byte) 0xFF);
            long npages = size >> PAGE_SHIFT;
            Mapping map = buffer.alignPtr(size, size);
            assertEquals(0, Sys.madvise(map.addr(), size, Sys.MADV_HUGEPAGE));

            assertEquals(0, buffer.cmd(dmirror, MIGRATE_TO_DEV, npages));
            assertEquals(npages, buffer.cpages);

            Ints.assertRange("mirror", buffer.mirror.ints(), 0, ints(size), i -> 0);
        }
    }

    /** Migrate a private anonymous huge zero page (one CPU read of a PROT_READ THP window). */
    @Test
    void migrate_anon_huge_zero() {
        Kernel.assumeUpstreamTestExists("migrate_anon_huge_zero");
        long size = pmdSize();
        try (HmmBuffer buffer = HmmBuffer.alloc(2 * size, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1)) {
            buffer.mirror.pointer().setMemory(0, size, (byte) 0xFF);
            long npages = size >> PAGE_SHIFT;
            Mapping map = buffer.alignPtr(size, size);
            assertEquals(0, Sys.madvise(map.addr(), size, Sys.MADV_HUGEPAGE));

            // Initialize a read-only zero huge page.
            assertEquals(0, map.pointer().getInt(0));

            assertEquals(0, buffer.cmd(dmirror, MIGRATE_TO_DEV, npages));
            assertEquals(npages, buffer.cpages);
            Ints.assertRange("mirror", buffer.mirror.ints(), 0, ints(size), i -> 0);

            // Fault pages back to system memory and check them (stops at the first mismatch).
            Ints.assertRange("ptr", buffer.ptr.ints(), 0, ints(size), i -> 0);
        }
    }

    /** Migrate a private anonymous huge page with data, then MADV_FREE it. */
    @Test
    void migrate_anon_huge_free() {
        Kernel.assumeUpstreamTestExists("migrate_anon_huge_free");
        long size = pmdSize();
        try (HmmBuffer buffer = HmmBuffer.alloc(2 * size, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1)) {
            buffer.mirror.pointer().setMemory(0, size, (byte) 0xFF);
            long npages = size >> PAGE_SHIFT;
            Mapping map = buffer.alignPtr(size, size);
            assertEquals(0, Sys.madvise(map.addr(), size, Sys.MADV_HUGEPAGE));

            Ints.fill(buffer.ptr.ints(), 0, ints(size), i -> i);

            assertEquals(0, buffer.cmd(dmirror, MIGRATE_TO_DEV, npages));
            assertEquals(npages, buffer.cpages);
            Ints.assertRange("mirror", buffer.mirror.ints(), 0, ints(size), i -> i);

            // Try freeing it.
            assertEquals(0, Sys.madvise(map.addr(), size, Sys.MADV_FREE));
        }
    }

    /**
     * Migrate a collapsed (MADV_COLLAPSE) huge page and fault it back: a private device maps it
     * as one device THP (SNAPSHOT 0x26 everywhere, pagemap: swap entry, not present).
     */
    @Test
    void migrate_anon_huge_fault() {
        Kernel.assumeUpstreamTestExists("migrate_anon_huge_fault");
        long size = pmdSize();
        try (HmmBuffer buffer = HmmBuffer.alloc(2 * size, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1)) {
            buffer.mirror.pointer().setMemory(0, size, (byte) 0xFF);
            long npages = size >> PAGE_SHIFT;
            Mapping map = buffer.alignPtr(size, size);

            Ints.fill(buffer.ptr.ints(), 0, ints(size), i -> i);

            assertEquals(0, Sys.madvise(map.addr(), size, Sys.MADV_COLLAPSE));

            assertEquals(0, buffer.cmd(dmirror, MIGRATE_TO_DEV, npages));
            assertEquals(npages, buffer.cpages);
            Ints.assertRange("mirror", buffer.mirror.ints(), 0, ints(size), i -> i);

            if (!coherent()) {
                assertEquals(0, buffer.cmd(dmirror, SNAPSHOT, npages));
                assertEquals(npages, buffer.cpages);
                Ints.assertBytes("m", buffer.mirror.bytes(), 0, (int) npages,
                        SnapshotByte.DEV_PRIVATE_LOCAL | SnapshotByte.WRITE | SnapshotByte.PMD);

                try (Pagemap pagemap = Pagemap.open()) {
                    for (long i = 0; i < npages; ++i) {
                        long entry = pagemap.entry(map.page(i));
                        assertNotEquals(0, entry & Pagemap.PM_SWAP, "PM_SWAP of page " + i);
                        assertFalse((entry & Pagemap.PM_PRESENT) != 0, "PAGEMAP_PRESENT of page " + i);
                    }
                }
            }

            // Fault pages back to system memory and check them.
            Ints.assertRange("ptr", buffer.ptr.ints(), 0, ints(size), i -> i);
        }
    }

    /** Migrate, munmap half (at offset 0, 1/4 or 1/2; with and without THP), fault the rest back. */
    @Test
    void migrate_partial_unmap_fault() {
        Kernel.assumeUpstreamTestExists("migrate_partial_unmap_fault");
        long size = Thp.pmdSize();
        if (size == 0) {
            size = TWOMEG;
        }
        long unmapSize = size / 2;
        long[] offsets = {0, size / 4, size / 2};

        for (int useThp = 0; useThp < 2; ++useThp) {
            for (long offset : offsets) {
                String pass = "use_thp=" + useThp + " offset=" + offset + ": ";
                try (HmmBuffer buffer = HmmBuffer.alloc(2 * size, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1)) {
                    buffer.mirror.pointer().setMemory(0, size, (byte) 0xFF);
                    long npages = size >> PAGE_SHIFT;
                    Mapping map = buffer.alignPtr(size, size);
                    assertEquals(0, Sys.madvise(map.addr(), size, useThp == 1 ? Sys.MADV_HUGEPAGE : Sys.MADV_NOHUGEPAGE), pass);

                    Ints.fill(buffer.ptr.ints(), 0, ints(size), i -> i);

                    assertEquals(0, buffer.cmd(dmirror, MIGRATE_TO_DEV, npages), pass);
                    assertEquals(npages, buffer.cpages, pass);
                    Ints.assertRange(pass + "mirror", buffer.mirror.ints(), 0, ints(size), i -> i);

                    map.unmap(offset, unmapSize);

                    // Fault pages back to system memory and check them (the still-mapped parts).
                    int lo = (int) (offset / 4);
                    int hi = (int) ((offset + unmapSize) / 4);
                    Ints.assertRange(pass + "ptr", buffer.ptr.ints(), 0, lo, i -> i);
                    Ints.assertRange(pass + "ptr", buffer.ptr.ints(), hi, ints(size), i -> i);
                }
            }
        }
    }

    /**
     * mremap (MAYMOVE|FIXED, optionally DONTUNMAP) before or after migrating, with and without
     * THP, to three offsets: the CPU reads the data back through the new address (24 runs).
     */
    @Test
    void migrate_remap_fault() {
        Kernel.assumeUpstreamTestExists("migrate_remap_fault");
        long size = Thp.pmdSize();
        if (size == 0) {
            size = TWOMEG;
        }
        long[] offsets = {0, size / 4, size / 2};

        for (int before = 0; before < 2; ++before) {
            for (int dontUnmap = 0; dontUnmap < 2; ++dontUnmap) {
                for (int useThp = 0; useThp < 2; ++useThp) {
                    for (long offset : offsets) {
                        String pass = "before=" + before + " dont_unmap=" + dontUnmap + " use_thp=" + useThp
                                + " offset=" + offset + ": ";
                        int flags = Sys.MREMAP_MAYMOVE | Sys.MREMAP_FIXED;
                        if (dontUnmap == 1) {
                            flags |= Sys.MREMAP_DONTUNMAP;
                        }
                        try (HmmBuffer buffer = HmmBuffer.alloc(8 * size, size, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS, -1)) {
                            buffer.mirror.pointer().setMemory(0, size, (byte) 0xFF);
                            long npages = size >> PAGE_SHIFT;
                            Mapping map = buffer.alignPtr(size, size);
                            assertEquals(0, Sys.madvise(map.addr(), size,
                                    useThp == 1 ? Sys.MADV_HUGEPAGE : Sys.MADV_NOHUGEPAGE), pass);
                            map.unmap(size, size * 2);

                            Ints.fill(buffer.ptr.ints(), 0, ints(size), i -> i);

                            Mapping newPtr = null;
                            if (before == 1) {
                                newPtr = map.remap(map.addr() + size + offset, flags);
                                buffer.ptr = newPtr;
                            }

                            assertEquals(0, buffer.cmd(dmirror, MIGRATE_TO_DEV, npages), pass);
                            assertEquals(npages, buffer.cpages, pass);
                            Ints.assertRange(pass + "mirror", buffer.mirror.ints(), 0, ints(size), i -> i);

                            if (before == 0) {
                                newPtr = map.remap(map.addr() + size + offset, flags);
                                buffer.ptr = newPtr;
                            }

                            // Fault pages back to system memory and check them.
                            Ints.assertRange(pass + "ptr", buffer.ptr.ints(), 0, ints(size), i -> i);

                            newPtr.unmap(0, size);
                        }
                    }
                }
            }
        }
    }

    /**
     * Migrate a THP with an injected device allocation failure (FLAGS FAIL_ALLOC): it falls back
     * to small device pages; then the same for the way back (MIGRATE_TO_SYS falls back per page).
     */
    @Test
    void migrate_anon_huge_err() {
        Kernel.assumeUpstreamTestExists("migrate_anon_huge_err");
        long size = pmdSize();
        try (HmmBuffer buffer = HmmBuffer.alloc(2 * size, 2 * size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1)) {
            buffer.mirror.pointer().setMemory(0, 2 * size, (byte) 0xFF);
            long npages = size >> PAGE_SHIFT;
            Mapping map = buffer.alignPtr(size, size);
            assertEquals(0, Sys.madvise(map.addr(), size, Sys.MADV_HUGEPAGE));

            Ints.fill(buffer.ptr.ints(), 0, ints(size), i -> i);

            // Migrate memory to device but force a THP allocation error.
            assertEquals(0, buffer.cmd(dmirror, FLAGS, HMM_DMIRROR_FLAG_FAIL_ALLOC));
            assertEquals(0, buffer.cmd(dmirror, MIGRATE_TO_DEV, npages));
            assertEquals(npages, buffer.cpages);
            Ints.assertRange("mirror", buffer.mirror.ints(), 0, ints(size), i -> i);

            // Try faulting back a single (PAGE_SIZE) page.
            assertEquals(2048, buffer.ptr.ints().get(2048));

            // unmap and remap the region to reset things.
            assertEquals(0, buffer.map.unmap(0, 2 * size));
            buffer.map = Mapping.anonymous(2 * size, PROT_READ | PROT_WRITE);
            map = buffer.alignPtr(size, size);
            assertEquals(0, Sys.madvise(map.addr(), size, Sys.MADV_HUGEPAGE));

            Ints.fill(buffer.ptr.ints(), 0, ints(size), i -> i);

            // Migrate THP to device.
            assertEquals(0, buffer.cmd(dmirror, MIGRATE_TO_DEV, npages));
            assertEquals(npages, buffer.cpages);

            // Force an allocation error when faulting back a THP resident in the device.
            boolean deviceThp = coherent() ? deviceHoldsThp(buffer, npages) : true;
            assertEquals(0, buffer.cmd(dmirror, FLAGS, HMM_DMIRROR_FLAG_FAIL_ALLOC));
            // Upstream asserts 0: the injected failure only drops the device THP's allocation and
            // MIGRATE_TO_SYS falls back to 4K pages. A coherent test_hmm device never holds a
            // device THP (its one SPM chunk cannot grow: each THP allocation WARNs "Conflicting
            // mapping in same section" and falls back to 4K pages), so there the failure hits an
            // order-0 page and MIGRATE_TO_SYS returns ENOMEM (docs/model-spec.md §3.11). Upstream's C test
            // fails on coherent devices; this port checks which case the device is in and says so.
            int want = deviceThp ? 0 : -Errno.ENOMEM;
            assertEquals(want, buffer.cmd(dmirror, MIGRATE_TO_SYS, npages), deviceThp
                    ? "MIGRATE_TO_SYS of a device THP with FAIL_ALLOC"
                    : "coherent device holds 4K pages, not a THP: upstream's expectation (0) cannot hold, ENOMEM expected");
            assertEquals(2048, buffer.ptr.ints().get(2048));
        }
    }

    /** SNAPSHOT says whether the device maps the range with PMD-sized pages. */
    private boolean deviceHoldsThp(HmmBuffer buffer, long npages) {
        try (Mapping m = Mapping.anonymous(npages, PROT_READ | PROT_WRITE)) {
            assertEquals(0, dmirror.snapshot(buffer.ptr.addr(), m.addr(), npages).ret(), "SNAPSHOT");
            return (Ints.u8(m.bytes(), 0) & SnapshotByte.PMD) != 0;
        }
    }

    /** The same with a PROT_READ huge zero page: FAIL_ALLOC on the way to the device twice. */
    @Test
    void migrate_anon_huge_zero_err() {
        Kernel.assumeUpstreamTestExists("migrate_anon_huge_zero_err");
        long size = pmdSize();
        try (HmmBuffer buffer = HmmBuffer.alloc(2 * size, 2 * size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1)) {
            buffer.mirror.pointer().setMemory(0, 2 * size, (byte) 0xFF);
            long npages = size >> PAGE_SHIFT;
            Mapping map = buffer.alignPtr(size, size);
            assertEquals(0, Sys.madvise(map.addr(), size, Sys.MADV_HUGEPAGE));

            // Migrate memory to device but force a THP allocation error.
            assertEquals(0, buffer.cmd(dmirror, FLAGS, HMM_DMIRROR_FLAG_FAIL_ALLOC));
            assertEquals(0, buffer.cmd(dmirror, MIGRATE_TO_DEV, npages));
            assertEquals(npages, buffer.cpages);
            Ints.assertRange("mirror", buffer.mirror.ints(), 0, ints(size), i -> 0);

            // Try faulting back a single (PAGE_SIZE) page.
            assertEquals(0, buffer.ptr.ints().get(2048));

            // unmap and remap the region to reset things.
            assertEquals(0, buffer.map.unmap(0, 2 * size));
            buffer.map = Mapping.anonymous(2 * size, PROT_READ);
            map = buffer.alignPtr(size, size);
            assertEquals(0, Sys.madvise(map.addr(), size, Sys.MADV_HUGEPAGE));

            // Initialize buffer in system memory (zero THP page). Upstream reads through its old
            // pointer, which only works because mmap reuses the address: read the new window.
            assertEquals(0, map.pointer().getInt(0));

            // Migrate memory to device but force a THP allocation error.
            assertEquals(0, buffer.cmd(dmirror, FLAGS, HMM_DMIRROR_FLAG_FAIL_ALLOC));
            assertEquals(0, buffer.cmd(dmirror, MIGRATE_TO_DEV, npages));
            assertEquals(npages, buffer.cpages);

            // Fault the device memory back and check it.
            Ints.assertRange("ptr", buffer.ptr.ints(), 0, ints(size), i -> 0);
        }
    }

    /** Average timings of one size, with or without THP (upstream's struct benchmark_results). */
    private record BenchmarkResults(double sysToDevMs, double devToSysMs) {
        double gbps(long bytes, double ms) {
            return bytes / (1024.0 * 1024.0 * 1024.0) / (ms / 1000.0);
        }
    }

    /** Upstream's run_migration_benchmark(): 0 or the failing call's -errno; results on success. */
    private int runMigrationBenchmark(boolean useThp, long bufferSize, int iterations, BenchmarkResults[] out) {
        long npages = bufferSize / PAGE_SIZE;
        try (HmmBuffer buffer = HmmBuffer.anonymous(bufferSize, PROT_READ | PROT_WRITE)) {
            buffer.mirror.pointer().setMemory(0, bufferSize, (byte) 0xFF);

            int ret = Sys.madvise(buffer.ptr.addr(), bufferSize, useThp ? Sys.MADV_HUGEPAGE : Sys.MADV_NOHUGEPAGE);
            if (ret != 0) {
                return ret;
            }

            // Initialize memory to make sure pages are allocated: ptr[i] = i & 0xFF, one 1 KiB
            // period written in Java, then doubled with bulk copies (memcpy speed under TCG).
            fillPeriodic(buffer.ptr);

            // Warmup iteration.
            if ((ret = buffer.cmd(dmirror, MIGRATE_TO_DEV, npages)) != 0) {
                return ret;
            }
            if ((ret = buffer.cmd(dmirror, MIGRATE_TO_SYS, npages)) != 0) {
                return ret;
            }

            double s2dTotal = 0;
            double d2sTotal = 0;
            for (int i = 0; i < iterations; i++) {
                long start = System.nanoTime();
                if ((ret = buffer.cmd(dmirror, MIGRATE_TO_DEV, npages)) != 0) {
                    return ret;
                }
                s2dTotal += (System.nanoTime() - start) / 1e6;

                start = System.nanoTime();
                if ((ret = buffer.cmd(dmirror, MIGRATE_TO_SYS, npages)) != 0) {
                    return ret;
                }
                d2sTotal += (System.nanoTime() - start) / 1e6;
            }
            out[0] = new BenchmarkResults(s2dTotal / iterations, d2sTotal / iterations);
            return 0;
        }
    }

    private static void fillPeriodic(Mapping m) {
        int period = Math.min(1024, (int) m.size());
        IntBuffer ints = m.ints();
        for (int i = 0; i < period / 4; i++) {
            ints.put(i, i & 0xFF);
        }
        ByteBuffer all = m.bytes();
        ByteBuffer src = all.duplicate();
        for (long done = period; done < m.size(); ) {
            int chunk = (int) Math.min(done, m.size() - done);
            all.put((int) done, src, 0, chunk);
            done += chunk;
        }
    }

    /**
     * THP migration benchmark (TEST_F_TIMEOUT 120 s): sizes PMD/4 .. PMD*128 (up to INT_MAX),
     * each with and without THP, a warm-up plus 5 MIGRATE_TO_DEV/MIGRATE_TO_SYS rounds that must
     * all return 0. Prints upstream's table to the console.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void benchmark_thp_migration() {
        Kernel.assumeUpstreamTestExists("benchmark_thp_migration");
        long thpSize = Thp.pmdSize();
        if (thpSize == 0) {
            thpSize = TWOMEG;
        }
        int iterations = 5;
        long[] testSizes = {thpSize / 4, thpSize / 2, thpSize, thpSize * 2, thpSize * 4, thpSize * 8, thpSize * 128};
        String[] testNames = {"Small Buffer", "Half THP Size", "Single THP Size", "Two THP Size", "Four THP Size",
            "Eight THP Size", "One twenty eight THP Size"};

        StringBuilder report = new StringBuilder("\nHMM THP Migration Benchmark (" + getClass().getAnnotation(
                org.junit.jupiter.api.DisplayName.class).value() + ")\n");
        for (int i = 0; i < testSizes.length; i++) {
            // Skip test sizes exceeding INT_MAX to avoid overflow.
            if (testSizes[i] > Integer.MAX_VALUE) {
                break;
            }
            BenchmarkResults[] thp = new BenchmarkResults[1];
            BenchmarkResults[] regular = new BenchmarkResults[1];
            assertEquals(0, runMigrationBenchmark(true, testSizes[i], iterations, thp), testNames[i] + " with THP");
            assertEquals(0, runMigrationBenchmark(false, testSizes[i], iterations, regular), testNames[i] + " without THP");
            report.append(String.format(Locale.ROOT,
                    "%-26s %7.1f MB | sys->dev %8.3f ms THP, %8.3f ms 4K | dev->sys %8.3f ms THP, %8.3f ms 4K | %.2f/%.2f GB/s%n",
                    testNames[i], testSizes[i] / (1024.0 * 1024.0), thp[0].sysToDevMs(), regular[0].sysToDevMs(),
                    thp[0].devToSysMs(), regular[0].devToSysMs(), thp[0].gbps(testSizes[i], thp[0].sysToDevMs()),
                    regular[0].gbps(testSizes[i], regular[0].sysToDevMs())));
        }
        System.out.print(report);
    }

    /**
     * READ_UNLOCKED of a userfaultfd-registered range: the driver's fault drops the mmap lock so
     * a handler thread can resolve each missing page with UFFDIO_COPY of 0xAB bytes.
     */
    @Test
    void userfaultfd_read() throws InterruptedException {
        Kernel.assumeUpstreamTestExists("userfaultfd_read");
        long npages = 4;
        long size = npages << PAGE_SHIFT;

        Userfaultfd uffd;
        try {
            uffd = Userfaultfd.open(Sys.O_CLOEXEC | Sys.O_NONBLOCK);
        } catch (ErrnoException e) {
            Assumptions.abort("userfaultfd not available: " + e.getMessage());
            return;
        }
        try (uffd; HmmBuffer buffer = HmmBuffer.anonymous(size, PROT_READ | PROT_WRITE);
                Mapping pageBuffer = Mapping.anonymous(PAGE_SIZE, PROT_READ | PROT_WRITE)) {
            assertEquals(0, uffd.api(0));
            assertEquals(0, uffd.registerMissing(buffer.ptr.addr(), size));

            int stopFd = Sys.eventfd(0, Sys.EFD_CLOEXEC);
            assertTrue(stopFd >= 0, "eventfd: " + stopFd);
            AtomicReference<String> handlerExit = new AtomicReference<>("running");
            Thread thread = new Thread(() -> handlerExit.set(uffdHandler(uffd, stopFd, pageBuffer)), "uffd_handler_thread");
            thread.setDaemon(true);
            thread.start();
            try {
                // The unlocked read path lets the mmap lock drop during the fault, so uffd can resolve it.
                assertEquals(0, buffer.cmd(dmirror, READ_UNLOCKED, npages), () -> "handler: " + handlerExit.get());
                assertEquals(npages, buffer.cpages);

                // Verify the device read the data filled by the uffd handler.
                Ints.assertBytes("mirror", buffer.mirror.bytes(), 0, (int) size, 0xAB);
            } finally {
                try (Memory one = new Memory(8)) {
                    one.setLong(0, 1);
                    assertEquals(8, Sys.write(stopFd, Pointer.nativeValue(one), 8));
                }
                thread.join(10_000);
                Sys.close(stopFd);
            }
            assertFalse(thread.isAlive(), "uffd handler thread did not stop");
        }
    }

    /** Upstream's uffd_handler_thread(): returns why it stopped. */
    private static String uffdHandler(Userfaultfd uffd, int stopFd, Mapping pageBuffer) {
        try (Memory fds = new Memory(16)) {
            fds.setInt(0, uffd.fd());
            fds.setShort(4, Sys.POLLIN);
            fds.setInt(8, stopFd);
            fds.setShort(12, Sys.POLLIN);
            for (;;) {
                fds.setShort(6, (short) 0);
                fds.setShort(14, (short) 0);
                int ret = Sys.poll(Pointer.nativeValue(fds), 2, -1);
                if (ret <= 0) {
                    return "poll returned " + ret;
                }
                if (fds.getShort(14) != 0) {
                    return "stopped";
                }
                if ((fds.getShort(6) & Sys.POLLIN) == 0) {
                    return "uffd revents 0x" + Integer.toHexString(fds.getShort(6));
                }
                Userfaultfd.Message msg = uffd.read();
                if (msg == null) {
                    continue;
                }
                if (msg.event() != Userfaultfd.UFFD_EVENT_PAGEFAULT) {
                    return "unexpected event 0x" + Integer.toHexString(msg.event());
                }
                // Fill the page with a known pattern.
                pageBuffer.pointer().setMemory(0, PAGE_SIZE, (byte) 0xAB);
                int r = uffd.copy(msg.address() & ~(long) (PAGE_SIZE - 1), pageBuffer.addr(), PAGE_SIZE);
                if (r < 0) {
                    return "UFFDIO_COPY " + r;
                }
            }
        } catch (RuntimeException e) {
            return e.toString();
        }
    }
}
