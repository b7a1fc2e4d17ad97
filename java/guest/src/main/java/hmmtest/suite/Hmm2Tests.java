package hmmtest.suite;

import static hmmtest.uapi.Command.MIGRATE_TO_DEV;
import static hmmtest.uapi.Command.READ;
import static hmmtest.uapi.Command.SNAPSHOT;
import static hmmtest.abi.Sys.MAP_ANONYMOUS;
import static hmmtest.abi.Sys.MAP_PRIVATE;
import static hmmtest.abi.Sys.PROT_NONE;
import static hmmtest.abi.Sys.PROT_READ;
import static hmmtest.abi.Sys.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Pointer;
import hmmtest.uapi.Errno;
import hmmtest.uapi.SnapshotByte;
import hmmtest.abi.Sys;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Ports of the {@code TEST_F(hmm2, ...)} cases of hmm-tests.c (identical in 6.12 and 7.3): two
 * devices of the same type, never two fds on one device (docs/model-spec.md §3.14, H1).
 */
abstract class Hmm2Tests extends Hmm2Fixture {

    /** Migrate various memory types to device 1: PROT_NONE and holes are EINVAL, another device's page ENOENT. */
    @Test
    void migrate_mixed() {
        long npages = 6;
        long size = npages << PAGE_SHIFT;
        try (HmmBuffer buffer = HmmBuffer.alloc(size, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1)) {
            long p = buffer.map.addr();
            Pointer mem = buffer.map.pointer();

            // Migrating a protected area should be an error.
            assertEquals(-Errno.EINVAL, buffer.cmd(dmirror1, MIGRATE_TO_DEV, npages));

            // Punch a hole after the first page address.
            assertEquals(0, buffer.map.unmap(PAGE_SIZE, PAGE_SIZE));

            // We expect an error if the vma doesn't cover the range.
            assertEquals(-Errno.EINVAL, buffer.cmd(dmirror1, MIGRATE_TO_DEV, 3));

            // Page 2 will be a read-only zero page.
            assertEquals(0, Sys.mprotect(p + 2 * PAGE_SIZE, PAGE_SIZE, PROT_READ));
            int val = mem.getInt(2 * PAGE_SIZE) + 3;
            assertEquals(3, val);

            // Page 3 will be read-only.
            assertEquals(0, Sys.mprotect(p + 3 * PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE));
            mem.setInt(3 * PAGE_SIZE, val);
            assertEquals(0, Sys.mprotect(p + 3 * PAGE_SIZE, PAGE_SIZE, PROT_READ));

            // Page 4-5 will be read-write.
            assertEquals(0, Sys.mprotect(p + 4 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE));
            mem.setInt(4 * PAGE_SIZE, val);
            mem.setInt(5 * PAGE_SIZE, val);

            // Now try to migrate pages 2-5 to device 1.
            buffer.pointAt(2 * PAGE_SIZE, 4 * PAGE_SIZE);
            assertEquals(0, buffer.cmd(dmirror1, MIGRATE_TO_DEV, 4));
            assertEquals(4, buffer.cpages);

            // Page 5 won't be migrated to device 0 because it's on device 1.
            buffer.pointAt(5 * PAGE_SIZE, PAGE_SIZE);
            assertEquals(-Errno.ENOENT, buffer.cmd(dmirror0, MIGRATE_TO_DEV, 1));
        }
    }

    /**
     * SNAPSHOT without faulting: hole and PROT_NONE are ERROR, zero page ZERO|READ, RO/RW pages,
     * a page on this device LOCAL and one on the other device NONE (private) or REMOTE (coherent).
     */
    @Test
    void snapshot() {
        long npages = 7;
        long size = npages << PAGE_SHIFT;
        try (HmmBuffer buffer = HmmBuffer.alloc(size, npages, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1)) {
            long p = buffer.map.addr();
            Pointer mem = buffer.map.pointer();

            // Punch a hole after the first page address.
            assertEquals(0, buffer.map.unmap(PAGE_SIZE, PAGE_SIZE));

            // Page 2 will be read-only zero page.
            assertEquals(0, Sys.mprotect(p + 2 * PAGE_SIZE, PAGE_SIZE, PROT_READ));
            int val = mem.getInt(2 * PAGE_SIZE) + 3;
            assertEquals(3, val);

            // Page 3 will be read-only.
            assertEquals(0, Sys.mprotect(p + 3 * PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE));
            mem.setInt(3 * PAGE_SIZE, val);
            assertEquals(0, Sys.mprotect(p + 3 * PAGE_SIZE, PAGE_SIZE, PROT_READ));

            // Page 4-6 will be read-write.
            assertEquals(0, Sys.mprotect(p + 4 * PAGE_SIZE, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE));
            mem.setInt(4 * PAGE_SIZE, val);

            // Page 5 will be migrated to device 0.
            buffer.pointAt(5 * PAGE_SIZE, PAGE_SIZE);
            assertEquals(0, buffer.cmd(dmirror0, MIGRATE_TO_DEV, 1));
            assertEquals(1, buffer.cpages);

            // Page 6 will be migrated to device 1.
            buffer.pointAt(6 * PAGE_SIZE, PAGE_SIZE);
            assertEquals(0, buffer.cmd(dmirror1, MIGRATE_TO_DEV, 1));
            assertEquals(1, buffer.cpages);

            // Simulate a device snapshotting CPU pagetables.
            buffer.pointAt(0, size);
            assertEquals(0, buffer.cmd(dmirror0, SNAPSHOT, npages));
            assertEquals(npages, buffer.cpages);

            ByteBuffer m = buffer.mirror.bytes();
            expect(m, 0, SnapshotByte.ERROR);
            expect(m, 1, SnapshotByte.ERROR);
            expect(m, 2, SnapshotByte.ZERO | SnapshotByte.READ);
            expect(m, 3, SnapshotByte.READ);
            expect(m, 4, SnapshotByte.WRITE);
            if (!coherent()) {
                expect(m, 5, SnapshotByte.DEV_PRIVATE_LOCAL | SnapshotByte.WRITE);
                expect(m, 6, SnapshotByte.NONE);
            } else {
                expect(m, 5, SnapshotByte.DEV_COHERENT_LOCAL | SnapshotByte.WRITE);
                expect(m, 6, SnapshotByte.DEV_COHERENT_REMOTE | SnapshotByte.WRITE);
            }
        }
    }

    private static void expect(ByteBuffer m, int i, int prot) {
        assertEquals(prot, Ints.u8(m, i), () -> "m[" + i + "] = " + SnapshotByte.describe(m.get(i)) + ", expected " + SnapshotByte.describe(prot));
    }

    /** Two devices read the same memory; after device 1 migrates it, device 0 reads it again (pulls it back). */
    @Test
    void double_map() {
        long npages = 6;
        long size = npages << PAGE_SHIFT;
        try (HmmBuffer buffer = HmmBuffer.anonymous(size, PROT_READ | PROT_WRITE)) {
            int n = (int) (size / 4);
            Ints.fill(buffer.ptr.ints(), 0, n, i -> i);

            // Make region read-only.
            assertEquals(0, Sys.mprotect(buffer.ptr.addr(), size, PROT_READ));

            // Simulate device 0 reading system memory.
            assertEquals(0, buffer.cmd(dmirror0, READ, npages));
            assertEquals(npages, buffer.cpages);
            assertEquals(1, buffer.faults);
            Ints.assertRange("mirror", buffer.mirror.ints(), 0, n, i -> i);

            // Simulate device 1 reading system memory.
            assertEquals(0, buffer.cmd(dmirror1, READ, npages));
            assertEquals(npages, buffer.cpages);
            assertEquals(1, buffer.faults);
            Ints.assertRange("mirror", buffer.mirror.ints(), 0, n, i -> i);

            // Migrate pages to device 1 and try to read from device 0.
            assertEquals(0, buffer.cmd(dmirror1, MIGRATE_TO_DEV, npages));
            assertEquals(npages, buffer.cpages);

            assertEquals(0, buffer.cmd(dmirror0, READ, npages));
            assertEquals(npages, buffer.cpages);
            assertEquals(1, buffer.faults);

            // Check what device 0 read.
            Ints.assertRange("mirror", buffer.mirror.ints(), 0, n, i -> i);
        }
    }
}
