package hmmtest.suite;

import static hmmtest.abi.HmmCommand.CHECK_EXCLUSIVE;
import static hmmtest.abi.HmmCommand.EXCLUSIVE;
import static hmmtest.abi.HmmCommand.MIGRATE_TO_DEV;
import static hmmtest.abi.HmmCommand.READ;
import static hmmtest.abi.HmmCommand.WRITE;
import static hmmtest.abi.Sys.PROT_READ;
import static hmmtest.abi.Sys.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import hmmtest.abi.Errno;
import hmmtest.abi.Sys;
import java.nio.IntBuffer;
import org.junit.jupiter.api.Test;

/**
 * Ports of the {@code TEST_F(hmm, ...)} cases of tools/testing/selftests/mm/hmm-tests.c, one to
 * one, with upstream's assertions. Method names are upstream's test names (the parity table and
 * the parity check rely on that).
 */
abstract class HmmTests extends HmmFixture {

    private static long npages() {
        return HMM_BUFFER_SIZE >> PAGE_SHIFT;
    }

    /** Setup opens the device, teardown closes it and asserts 0. */
    @Test
    void open_close() {
        assertEquals(true, dmirror.fd() >= 0);
    }

    /** Read private anonymous memory: first two pages are pte_none and the zero page. */
    @Test
    void anon_read() {
        long npages = npages();
        long size = npages << PAGE_SHIFT;
        try (HmmBuffer buffer = HmmBuffer.anonymous(size, PROT_READ | PROT_WRITE)) {
            IntBuffer ptr = buffer.ptr.ints();
            int n = (int) (size / 4);
            int firstTwoPages = 2 * PAGE_SIZE / 4;
            Ints.fill(ptr, firstTwoPages, n, i -> i);
            assertEquals(0, Sys.mprotect(buffer.ptr.addr(), size, PROT_READ));
            // Populate the CPU page table with the special zero page.
            assertEquals(0, ptr.get(PAGE_SIZE / 4));

            assertEquals(0, buffer.cmd(dmirror, READ, npages));
            assertEquals(npages, buffer.cpages);
            assertEquals(1, buffer.faults);

            IntBuffer mirror = buffer.mirror.ints();
            Ints.assertRange("mirror", mirror, 0, firstTwoPages, i -> 0);
            Ints.assertRange("mirror", mirror, firstTwoPages, n, i -> i);
        }
    }

    /** Write private anonymous memory. */
    @Test
    void anon_write() {
        long npages = npages();
        long size = npages << PAGE_SHIFT;
        try (HmmBuffer buffer = HmmBuffer.anonymous(size, PROT_READ | PROT_WRITE)) {
            int n = (int) (size / 4);
            Ints.fill(buffer.mirror.ints(), 0, n, i -> i);

            assertEquals(0, buffer.cmd(dmirror, WRITE, npages));
            assertEquals(npages, buffer.cpages);
            assertEquals(1, buffer.faults);

            Ints.assertRange("ptr", buffer.ptr.ints(), 0, n, i -> i);
        }
    }

    /** Write private anonymous memory that is PROT_READ: EPERM, then works after mprotect. */
    @Test
    void anon_write_prot() {
        long npages = npages();
        long size = npages << PAGE_SHIFT;
        try (HmmBuffer buffer = HmmBuffer.anonymous(size, PROT_READ)) {
            // Simulate a device reading a zero page of memory.
            assertEquals(0, buffer.cmd(dmirror, READ, 1));
            assertEquals(1, buffer.cpages);
            assertEquals(1, buffer.faults);

            int n = (int) (size / 4);
            Ints.fill(buffer.mirror.ints(), 0, n, i -> i);

            assertEquals(-Errno.EPERM, buffer.cmd(dmirror, WRITE, npages));
            Ints.assertRange("ptr", buffer.ptr.ints(), 0, n, i -> 0);

            assertEquals(0, Sys.mprotect(buffer.ptr.addr(), size, PROT_WRITE | PROT_READ));
            assertEquals(0, buffer.cmd(dmirror, WRITE, npages));
            assertEquals(npages, buffer.cpages);
            assertEquals(1, buffer.faults);
            Ints.assertRange("ptr", buffer.ptr.ints(), 0, n, i -> i);
        }
    }

    /** Migrate anonymous memory to device memory. */
    @Test
    void migrate() {
        long npages = npages();
        long size = npages << PAGE_SHIFT;
        try (HmmBuffer buffer = HmmBuffer.anonymous(size, PROT_READ | PROT_WRITE)) {
            int n = (int) (size / 4);
            Ints.fill(buffer.ptr.ints(), 0, n, i -> i);

            assertEquals(0, buffer.cmd(dmirror, MIGRATE_TO_DEV, npages));
            assertEquals(npages, buffer.cpages);

            Ints.assertRange("mirror", buffer.mirror.ints(), 0, n, i -> i);
        }
    }

    /** Basic check of exclusive faulting: exclusive, CPU access revokes, CHECK_EXCLUSIVE is 0. */
    @Test
    void exclusive() {
        long npages = npages();
        long size = npages << PAGE_SHIFT;
        try (HmmBuffer buffer = HmmBuffer.anonymous(size, PROT_READ | PROT_WRITE)) {
            int n = (int) (size / 4);
            IntBuffer ptr = buffer.ptr.ints();
            Ints.fill(ptr, 0, n, i -> i);

            assertEquals(0, buffer.cmd(dmirror, EXCLUSIVE, npages));
            assertEquals(npages, buffer.cpages);
            Ints.assertRange("mirror", buffer.mirror.ints(), 0, n, i -> i);

            // Fault pages back to system memory and check them.
            for (int i = 0; i < n; i++) {
                int v = ptr.get(i);
                ptr.put(i, v + 1);
                assertEquals(i, v, "ptr[i]++");
            }
            Ints.assertRange("ptr", ptr, 0, n, i -> i + 1);

            // Check atomic access revoked.
            assertEquals(0, buffer.cmd(dmirror, CHECK_EXCLUSIVE, npages));
        }
    }

    /** Exclusive, then mprotect(PROT_READ): a device write must fail with EPERM. */
    @Test
    void exclusive_mprotect() {
        long npages = npages();
        long size = npages << PAGE_SHIFT;
        try (HmmBuffer buffer = HmmBuffer.anonymous(size, PROT_READ | PROT_WRITE)) {
            int n = (int) (size / 4);
            Ints.fill(buffer.ptr.ints(), 0, n, i -> i);

            assertEquals(0, buffer.cmd(dmirror, EXCLUSIVE, npages));
            assertEquals(npages, buffer.cpages);
            Ints.assertRange("mirror", buffer.mirror.ints(), 0, n, i -> i);

            assertEquals(0, Sys.mprotect(buffer.ptr.addr(), size, PROT_READ));
            assertEquals(-Errno.EPERM, buffer.cmd(dmirror, WRITE, npages));
        }
    }
}
