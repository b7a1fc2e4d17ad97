package hmmtest.suite;

import static hmmtest.uapi.Command.CHECK_EXCLUSIVE;
import static hmmtest.uapi.Command.EXCLUSIVE;
import static hmmtest.uapi.Command.FLAGS;
import static hmmtest.uapi.Command.MIGRATE_TO_DEV;
import static hmmtest.uapi.Command.MIGRATE_TO_SYS;
import static hmmtest.uapi.Command.READ;
import static hmmtest.uapi.Command.READ_UNLOCKED;
import static hmmtest.uapi.Command.RELEASE;
import static hmmtest.uapi.Command.SNAPSHOT;
import static hmmtest.uapi.Command.WRITE;
import static hmmtest.abi.Sys.MAP_PRIVATE;
import static hmmtest.abi.Sys.PROT_NONE;
import static hmmtest.abi.Sys.PROT_READ;
import static hmmtest.abi.Sys.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hmmtest.abi.CmdResult;
import hmmtest.abi.Dmirror.CmdBlock;
import hmmtest.abi.Dmirror;
import hmmtest.uapi.Errno;
import hmmtest.abi.ErrnoException;
import hmmtest.uapi.Command;
import hmmtest.abi.Hugetlb;
import hmmtest.abi.Mapping;
import hmmtest.uapi.SnapshotByte;
import hmmtest.abi.Sys;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.function.Executable;

/**
 * Malformed and hostile arguments to the dmirror ioctls, each with the errno the running driver
 * must give (docs/model-spec.md §3.1-3.12). Every case stays clear of the hazards of docs/model-spec.md §3.14: one
 * fd per device, no READ/WRITE after a migration on the same device, nothing that loops over a
 * huge range in the kernel (CHECK_EXCLUSIVE and SNAPSHOT walk every page they are given).
 */
@DisplayName("badargs")
@TestMethodOrder(MethodOrderer.MethodName.class)
class BadArgumentsTest {
    static final int PAGE_SIZE = 4096;
    /** npages << PAGE_SHIFT overflows to 0 in the driver's u64 arithmetic. */
    static final long TWO_POW_52 = 1L << 52;
    /** A flags value with no meaning: FLAGS needs a non-zero npages and must not set FAIL_ALLOC. */
    static final long HARMLESS_FLAGS = 2;

    private Dmirror dmirror;
    /** Two RW pages filled with 1, 2, ... and a one-page RW output buffer, both THP-free. */
    private Mapping target;
    private Mapping out;

    @BeforeEach
    void setUp() {
        dmirror = Dmirror.open(0);
        target = Mapping.anonymous(2 * PAGE_SIZE, PROT_READ | PROT_WRITE);
        target.advise(Sys.MADV_NOHUGEPAGE);
        Ints.fill(target.ints(), 0, 2 * PAGE_SIZE / 4, i -> i + 1);
        out = Mapping.anonymous(2 * PAGE_SIZE, PROT_READ | PROT_WRITE);
    }

    @AfterEach
    void tearDown() {
        target.close();
        out.close();
        assertEquals(0, dmirror.closeFd(), "close(fd)");
    }

    /** The commands the running driver knows. */
    private static List<Command> commands() {
        List<Command> all = new ArrayList<>();
        for (Command c : Command.values()) {
            if (Kernel.abi().supports(c)) {
                all.add(c);
            }
        }
        return all;
    }

    /** Runs {@code call} for every command and checks every answer (all failures reported together). */
    private static void forEachCommand(String what, Function<Command, CmdResult> call, ToIntFunction<Command> expected) {
        List<Executable> checks = new ArrayList<>();
        for (Command c : commands()) {
            checks.add(() -> {
                int want = expected.applyAsInt(c);
                CmdResult r = call.apply(c);
                assertEquals(want, r.ret(), () -> what + ": " + c + " gave " + r + ", expected " + Errno.describe(want));
            });
        }
        assertAll(what, checks);
    }

    /** The value each command carries in npages: the page count, or harmless flags for FLAGS. */
    private static long npagesFor(Command c, long npages) {
        return c == FLAGS ? HARMLESS_FLAGS : npages;
    }

    // ---- the common prologue: addr, npages, wrap-around -------------------------------------

    /** An address that is not page-aligned: EINVAL before any command runs. */
    @Test
    void unaligned_addr_einval_for_every_command() {
        forEachCommand("addr + 1", c -> dmirror.cmd(c, target.addr() + 1, out.addr(), npagesFor(c, 1)), c -> -Errno.EINVAL);
        forEachCommand("addr + 2048", c -> dmirror.cmd(c, target.addr() + 2048, out.addr(), npagesFor(c, 1)), c -> -Errno.EINVAL);
    }

    /** npages 0 (for FLAGS: flags 0, so FLAGS cannot clear all flags): EINVAL. */
    @Test
    void npages_zero_einval_for_every_command() {
        forEachCommand("npages 0", c -> dmirror.cmd(c, target.addr(), out.addr(), 0), c -> -Errno.EINVAL);
    }

    /** addr + npages * 4096 wraps past 2^64: EINVAL. */
    @Test
    void address_wraparound_einval_for_every_command() {
        long lastPage = -(long) PAGE_SIZE; // 0xffff_ffff_ffff_f000
        forEachCommand("addr 2^64-4096, 1 page", c -> dmirror.cmd(c, lastPage, out.addr(), npagesFor(c, 1)), c -> -Errno.EINVAL);
        forEachCommand("addr 2^64-4096, 2 pages", c -> dmirror.cmd(c, lastPage, out.addr(), 2), c -> -Errno.EINVAL);
        forEachCommand("user addr, npages 2^52-1", c -> dmirror.cmd(c, target.addr(), out.addr(), TWO_POW_52 - 1),
                c -> -Errno.EINVAL);
    }

    /** npages 2^52: npages << 12 is 0 in u64, so addr >= addr + 0: EINVAL. */
    @Test
    void npages_two_pow_52_einval_for_every_command() {
        forEachCommand("npages 2^52", c -> dmirror.cmd(c, target.addr(), out.addr(), TWO_POW_52), c -> -Errno.EINVAL);
    }

    /**
     * npages 2^52 + 1: npages << 12 is 4096, so the command works on one page, and the npages
     * copied back is still 2^52 + 1. A WRITE writes exactly one page.
     */
    @Test
    void npages_two_pow_52_plus_1_behaves_like_one_page() {
        CmdBlock read = dmirror.rawBlock(READ.request(), target.addr(), out.addr(), TWO_POW_52 + 1, 0, 0);
        assertEquals(0, read.ret(), "READ");
        assertEquals(1, read.cpages(), "READ cpages");
        assertEquals(TWO_POW_52 + 1, read.npages(), "npages copied back unchanged");
        Ints.assertRange("out", out.ints(), 0, PAGE_SIZE / 4, i -> i + 1);

        Ints.fill(out.ints(), 0, 2 * PAGE_SIZE / 4, i -> -1);
        CmdBlock write = dmirror.rawBlock(WRITE.request(), target.addr(), out.addr(), TWO_POW_52 + 1, 0, 0);
        assertEquals(0, write.ret(), "WRITE");
        assertEquals(1, write.cpages(), "WRITE cpages");
        Ints.assertRange("target page 0", target.ints(), 0, PAGE_SIZE / 4, i -> -1);
        Ints.assertRange("target page 1 (not written)", target.ints(), PAGE_SIZE / 4, 2 * PAGE_SIZE / 4, i -> i + 1);

        CmdBlock snap = dmirror.rawBlock(SNAPSHOT.request(), target.addr(), out.addr(), TWO_POW_52 + 1, 0, 0);
        assertEquals(0, snap.ret(), "SNAPSHOT");
        assertEquals(1, snap.cpages(), "SNAPSHOT cpages");
    }

    /** A huge but valid npages (2^40): the driver's vmalloc of the bounce buffer fails: ENOMEM. */
    @Test
    void huge_npages_read_write_enomem() {
        assertEquals(-Errno.ENOMEM, dmirror.read(target.addr(), out.addr(), 1L << 40).ret(), "READ");
        assertEquals(-Errno.ENOMEM, dmirror.write(target.addr(), out.addr(), 1L << 40).ret(), "WRITE");
    }

    // ---- the command number ------------------------------------------------------------------

    /** nr 0x0a and 0xff with type 'H' and the right size: the driver's default case, EINVAL. */
    @Test
    void unknown_command_numbers_einval() {
        for (int nr : new int[] {0x0a, 0x0b, 0x7f, 0xff}) {
            assertEquals(-Errno.EINVAL, dmirror.raw(Command.request(nr), target.addr(), out.addr(), 1).ret(),
                    "nr 0x" + Integer.toHexString(nr));
        }
    }

    /** FLAGS (0x08) and READ_UNLOCKED (0x09) are unknown to 6.12 (EINVAL) and work on 7.3. */
    @Test
    void flags_and_read_unlocked_einval_on_6_12_work_on_7_3() {
        int want = Kernel.per(-Errno.EINVAL, 0);
        String why = "6.12 does not know the command (EINVAL), 7.3 does (0); running " + Kernel.abi();
        assertEquals(want, dmirror.cmd(FLAGS, target.addr(), 0, HARMLESS_FLAGS).ret(), "FLAGS: " + why);
        assertEquals(want, dmirror.cmd(READ_UNLOCKED, target.addr(), out.addr(), 1).ret(), "READ_UNLOCKED: " + why);
    }

    /** Another type letter, another size or another direction: not a dmirror command, EINVAL. */
    @Test
    void wrong_type_size_or_direction_einval() {
        assertEquals(-Errno.EINVAL, dmirror.raw(Command.ioc(3, 'X', 0x00, 40), target.addr(), out.addr(), 1).ret(), "type 'X'");
        assertEquals(-Errno.EINVAL, dmirror.raw(Command.ioc(3, 'H', 0x00, 32), target.addr(), out.addr(), 1).ret(), "size 32");
        assertEquals(-Errno.EINVAL, dmirror.raw(Command.ioc(3, 'H', 0x00, 48), target.addr(), out.addr(), 1).ret(), "size 48");
        assertEquals(-Errno.EINVAL, dmirror.raw(Command.ioc(2, 'H', 0x00, 40), target.addr(), out.addr(), 1).ret(), "_IOR");
        assertEquals(-Errno.EINVAL, dmirror.raw(Command.ioc(1, 'H', 0x00, 40), target.addr(), out.addr(), 1).ret(), "_IOW");
        assertEquals(-Errno.EINVAL, dmirror.raw(Command.ioc(0, 'H', 0x00, 0), target.addr(), out.addr(), 1).ret(), "_IO");
    }

    /**
     * Generic 'T' ioctls are answered by the VFS before the driver sees them: FIOQSIZE on a
     * character device is ENOTTY, FIOCLEX succeeds (the fd is already close-on-exec).
     */
    @Test
    void vfs_ioctls_answered_before_the_driver() {
        long fioqsize = 0x5460;
        long fioclex = 0x5451;
        assertEquals(-Errno.ENOTTY, Sys.ioctl(dmirror.fd(), fioqsize, out.addr()), "FIOQSIZE");
        assertEquals(0, Sys.ioctl(dmirror.fd(), fioclex, 0), "FIOCLEX");
    }

    /** A dmirror command on a file without an ioctl method (/dev/null): ENOTTY. */
    @Test
    void dmirror_command_on_dev_null_enotty() {
        int fd = Sys.open("/dev/null", Sys.O_RDWR | Sys.O_CLOEXEC);
        assertTrue(fd >= 0, "open(/dev/null): " + Errno.describe(fd));
        try {
            try (Mapping cmd = Mapping.anonymous(Command.BLOCK_SIZE, PROT_READ | PROT_WRITE)) {
                assertEquals(-Errno.ENOTTY, Sys.ioctl(fd, READ.request(), cmd.addr()));
            }
        } finally {
            Sys.close(fd);
        }
    }

    /** A closed fd and fd -1: EBADF. */
    @Test
    void closed_fd_ebadf() {
        Dmirror d = Dmirror.open(0);
        int fd = d.fd();
        assertEquals(0, d.closeFd());
        try (Mapping cmd = Mapping.anonymous(Command.BLOCK_SIZE, PROT_READ | PROT_WRITE)) {
            assertEquals(-Errno.EBADF, Sys.ioctl(fd, READ.request(), cmd.addr()), "closed fd " + fd);
            assertEquals(-Errno.EBADF, Sys.ioctl(-1, READ.request(), cmd.addr()), "fd -1");
        }
    }

    // ---- the arg pointer (the command block itself) ------------------------------------------

    /** arg NULL, unmapped or PROT_NONE: copy_from_user fails first, EFAULT, even for unknown numbers. */
    @Test
    void arg_pointer_null_unmapped_prot_none_efault() {
        try (Mapping none = Mapping.anonymous(PAGE_SIZE, PROT_NONE); Mapping gone = Mapping.anonymous(PAGE_SIZE, PROT_READ)) {
            long unmapped = gone.addr();
            assertEquals(0, gone.unmap(0, PAGE_SIZE));
            List<Long> requests = new ArrayList<>();
            for (Command c : commands()) {
                requests.add(c.request());
            }
            requests.add(Command.request(0xff));
            List<Executable> checks = new ArrayList<>();
            for (long req : requests) {
                for (long arg : new long[] {0, unmapped, none.addr()}) {
                    checks.add(() -> assertEquals(-Errno.EFAULT, Sys.ioctl(dmirror.fd(), req, arg),
                            "request 0x" + Long.toHexString(req) + " arg 0x" + Long.toHexString(arg)));
                }
            }
            assertAll(checks);
        }
    }

    /** A command block that runs off the end of a mapping into a hole: EFAULT. */
    @Test
    void arg_pointer_straddling_a_hole_efault() {
        try (Mapping two = Mapping.anonymous(2 * PAGE_SIZE, PROT_READ | PROT_WRITE)) {
            assertEquals(0, two.unmap(PAGE_SIZE, PAGE_SIZE));
            long arg = two.addr() + PAGE_SIZE - 16; // 16 of the 40 bytes are mapped
            assertEquals(-Errno.EFAULT, Sys.ioctl(dmirror.fd(), READ.request(), arg));
        }
    }

    /**
     * A read-only command block: the command runs (copy_from_user works) and only copying the
     * result back fails. EFAULT, although a READ already delivered its data and CHECK_EXCLUSIVE
     * had nothing to report.
     */
    @Test
    void arg_pointer_read_only_efault_after_the_work_is_done() {
        try (Mapping block = Mapping.anonymous(PAGE_SIZE, PROT_READ | PROT_WRITE)) {
            block.pointer().setLong(0, target.addr());
            block.pointer().setLong(8, out.addr());
            block.pointer().setLong(16, 1);
            block.protect(PROT_READ);
            assertEquals(-Errno.EFAULT, Sys.ioctl(dmirror.fd(), READ.request(), block.addr()), "READ");
            Ints.assertRange("out (READ delivered anyway)", out.ints(), 0, PAGE_SIZE / 4, i -> i + 1);
            assertEquals(-Errno.EFAULT, Sys.ioctl(dmirror.fd(), CHECK_EXCLUSIVE.request(), block.addr()), "CHECK_EXCLUSIVE");
        }
    }

    /** On error the block is not copied back: cpages and faults keep what the caller put there. */
    @Test
    void error_leaves_the_command_block_untouched() {
        try (Mapping gone = Mapping.anonymous(PAGE_SIZE, PROT_READ)) {
            long unmapped = gone.addr();
            assertEquals(0, gone.unmap(0, PAGE_SIZE));
            CmdBlock b = dmirror.rawBlock(READ.request(), unmapped, out.addr(), 1, 0x1234, 0x5678);
            assertEquals(-Errno.EFAULT, b.ret());
            assertEquals(0x1234, b.cpages(), "cpages not copied back");
            assertEquals(0x5678, b.faults(), "faults not copied back");
        }
        CmdBlock ok = dmirror.rawBlock(READ.request(), target.addr(), out.addr(), 2, 0x1234, 0x5678);
        assertEquals(0, ok.ret());
        assertAll(() -> assertEquals(target.addr(), ok.addr(), "addr"), () -> assertEquals(out.addr(), ok.ptr(), "ptr"),
                () -> assertEquals(2, ok.npages(), "npages"), () -> assertEquals(2, ok.cpages(), "cpages"),
                () -> assertEquals(1, ok.faults(), "faults"));
    }

    // ---- the ptr buffer ------------------------------------------------------------------------

    /** READ into a NULL, unmapped, read-only or kernel-space ptr: EFAULT (the target is faulted in anyway). */
    @Test
    void read_ptr_bad_efault() {
        try (Mapping ro = Mapping.anonymous(PAGE_SIZE, PROT_READ); Mapping gone = Mapping.anonymous(PAGE_SIZE, PROT_READ)) {
            long unmapped = gone.addr();
            assertEquals(0, gone.unmap(0, PAGE_SIZE));
            assertAll(
                    () -> assertEquals(-Errno.EFAULT, dmirror.read(target.addr(), 0, 1).ret(), "NULL"),
                    () -> assertEquals(-Errno.EFAULT, dmirror.read(target.addr(), unmapped, 1).ret(), "unmapped"),
                    () -> assertEquals(-Errno.EFAULT, dmirror.read(target.addr(), ro.addr(), 1).ret(), "read-only"),
                    () -> assertEquals(-Errno.EFAULT, dmirror.read(target.addr(), 0xffff888000000000L, 1).ret(), "kernel address"));
            Ints.assertRange("ro stays zero", ro.ints(), 0, PAGE_SIZE / 4, i -> 0);
        }
    }

    /** WRITE from a NULL or PROT_NONE ptr: EFAULT before anything is written. */
    @Test
    void write_ptr_bad_efault_target_unchanged() {
        try (Mapping none = Mapping.anonymous(PAGE_SIZE, PROT_NONE)) {
            assertEquals(-Errno.EFAULT, dmirror.write(target.addr(), 0, 1).ret(), "NULL");
            assertEquals(-Errno.EFAULT, dmirror.write(target.addr(), none.addr(), 1).ret(), "PROT_NONE");
            Ints.assertRange("target", target.ints(), 0, 2 * PAGE_SIZE / 4, i -> i + 1);
        }
    }

    /** An unaligned ptr is fine: only addr must be page-aligned. */
    @Test
    void unaligned_ptr_is_accepted() {
        try (Mapping big = Mapping.anonymous(2 * PAGE_SIZE, PROT_READ | PROT_WRITE)) {
            assertEquals(0, dmirror.read(target.addr(), big.addr() + 3, 1).ret());
            assertEquals(1, big.bytes().order(java.nio.ByteOrder.nativeOrder()).getInt(3));
        }
    }

    /** SNAPSHOT into a read-only ptr: EFAULT. */
    @Test
    void snapshot_ptr_read_only_efault() {
        try (Mapping ro = Mapping.anonymous(PAGE_SIZE, PROT_READ)) {
            assertEquals(-Errno.EFAULT, dmirror.snapshot(target.addr(), ro.addr(), 2).ret());
        }
    }

    /**
     * MIGRATE_TO_DEV and EXCLUSIVE with a NULL ptr: the work happens (pages move to the device,
     * pages become exclusive), only the read-back copy fails: EFAULT with the side effects visible.
     */
    @Test
    void migrate_and_exclusive_ptr_null_efault_after_the_work_is_done() {
        assertEquals(-Errno.EFAULT, dmirror.migrateToDevice(target.addr(), 0, 1).ret(), "MIGRATE_TO_DEV");
        byte[] m = new byte[1];
        assertEquals(0, dmirror.snapshot(target.addr(), out.addr(), 1).ret());
        out.bytes().get(m);
        assertEquals(SnapshotByte.DEV_PRIVATE_LOCAL | SnapshotByte.WRITE, m[0] & 0xff, "page 0 migrated: " + SnapshotByte.describe(m[0]));

        long page1 = target.page(1);
        assertEquals(-Errno.EFAULT, dmirror.exclusive(page1, 0, 1).ret(), "EXCLUSIVE");
        assertEquals(-Errno.EPERM, dmirror.checkExclusive(page1, 1).ret(), "page 1 is exclusive");
        Ints.assertRange("target", target.ints(), 0, 2 * PAGE_SIZE / 4, i -> i + 1);
    }

    // ---- the target range ----------------------------------------------------------------------

    /** What each command gives for a target it cannot use (PROT_NONE or unmapped). */
    private static int onUnusableTarget(Command c) {
        return switch (c) {
            case READ, WRITE, READ_UNLOCKED -> -Errno.EFAULT; // hmm_range_fault: no VMA or no VM_READ
            case MIGRATE_TO_DEV, MIGRATE_TO_SYS -> -Errno.EINVAL; // vma_lookup / VM_READ check
            case EXCLUSIVE -> Kernel.per(-Errno.EBUSY, -Errno.EFAULT); // 6.12 folds GUP's EFAULT into EBUSY
            case SNAPSHOT, CHECK_EXCLUSIVE, RELEASE, FLAGS -> 0; // SNAPSHOT reports 0xFF; the rest never look
        };
    }

    /** A PROT_NONE target, for every command (EXCLUSIVE: 6.12 EBUSY, 7.3 EFAULT). */
    @Test
    void prot_none_target_for_every_command() {
        try (Mapping none = Mapping.anonymous(2 * PAGE_SIZE, PROT_NONE)) {
            forEachCommand("PROT_NONE target", c -> dmirror.cmd(c, none.addr(), out.addr(), npagesFor(c, 2)),
                    BadArgumentsTest::onUnusableTarget);
        }
    }

    /** An unmapped target, for every command (EXCLUSIVE: 6.12 EBUSY, 7.3 EFAULT). */
    @Test
    void unmapped_target_for_every_command() {
        try (Mapping gone = Mapping.anonymous(2 * PAGE_SIZE, PROT_READ)) {
            long unmapped = gone.addr();
            assertEquals(0, gone.unmap(0, 2 * PAGE_SIZE));
            forEachCommand("unmapped target", c -> dmirror.cmd(c, unmapped, out.addr(), npagesFor(c, 2)),
                    BadArgumentsTest::onUnusableTarget);
        }
    }

    /** WRITE to a read-only target: EPERM (a write fault is needed and the VMA lacks VM_WRITE). */
    @Test
    void read_only_target_write_eperm() {
        target.protect(PROT_READ);
        Ints.fill(out.ints(), 0, 2 * PAGE_SIZE / 4, i -> -1);
        assertEquals(-Errno.EPERM, dmirror.write(target.addr(), out.addr(), 2).ret());
        Ints.assertRange("target", target.ints(), 0, 2 * PAGE_SIZE / 4, i -> i + 1);
        assertEquals(0, dmirror.read(target.addr(), out.addr(), 2).ret(), "READ of a read-only target is fine");
    }

    /** SNAPSHOT of holes is not an error: 0, and one 0xFF (ERROR) byte per page. */
    @Test
    void snapshot_of_holes_is_error_bytes_not_an_error() {
        try (Mapping gone = Mapping.anonymous(4 * PAGE_SIZE, PROT_READ)) {
            long unmapped = gone.addr();
            assertEquals(0, gone.unmap(0, 4 * PAGE_SIZE));
            out.pointer().setMemory(0, 8, (byte) 0x77);
            CmdResult r = dmirror.snapshot(unmapped, out.addr(), 4);
            assertEquals(0, r.ret());
            assertEquals(4, r.cpages());
            Ints.assertBytes("m", out.bytes(), 0, 4, SnapshotByte.ERROR);
            assertEquals(0x77, Ints.u8(out.bytes(), 4), "nothing written past npages bytes");
        }
    }

    /** A range running from a mapping into a hole: SNAPSHOT marks the hole, READ fails with EFAULT. */
    @Test
    void range_running_into_a_hole() {
        try (Mapping m = Mapping.anonymous(3 * PAGE_SIZE, PROT_READ | PROT_WRITE)) {
            m.advise(Sys.MADV_NOHUGEPAGE);
            m.ints().put(0, 7);
            assertEquals(0, m.unmap(2L * PAGE_SIZE, PAGE_SIZE));
            CmdResult s = dmirror.snapshot(m.addr(), out.addr(), 3);
            assertEquals(0, s.ret());
            byte[] b = new byte[3];
            out.bytes().get(b);
            assertEquals(SnapshotByte.WRITE, b[0] & 0xff, SnapshotByte.describe(b[0]));
            assertEquals(SnapshotByte.NONE, b[1] & 0xff, "never touched: " + SnapshotByte.describe(b[1]));
            assertEquals(SnapshotByte.ERROR, b[2] & 0xff, "hole: " + SnapshotByte.describe(b[2]));
            assertEquals(-Errno.EFAULT, dmirror.read(m.addr(), out.addr(), 3).ret(), "READ");
        }
    }

    /**
     * MIGRATE_TO_DEV over a range longer than its VMA: the part inside is migrated, then the
     * next vma_lookup fails: EINVAL with the first pages already on the device.
     */
    @Test
    void migrate_range_beyond_vma_einval_after_migrating_the_mapped_part() {
        try (Mapping m = Mapping.anonymous(4 * PAGE_SIZE, PROT_READ | PROT_WRITE)) {
            m.advise(Sys.MADV_NOHUGEPAGE);
            Ints.fill(m.ints(), 0, 4 * PAGE_SIZE / 4, i -> i);
            assertEquals(0, m.unmap(2L * PAGE_SIZE, 2L * PAGE_SIZE));
            assertEquals(-Errno.EINVAL, dmirror.migrateToDevice(m.addr(), out.addr(), 4).ret());
            assertEquals(0, dmirror.snapshot(m.addr(), out.addr(), 2).ret());
            Ints.assertBytes("m", out.bytes(), 0, 2, SnapshotByte.DEV_PRIVATE_LOCAL | SnapshotByte.WRITE);
        }
    }

    /** MIGRATE_TO_SYS of memory that is not on the device: 0 with cpages 0. */
    @Test
    void migrate_to_sys_of_system_memory_moves_nothing() {
        CmdResult r = dmirror.migrateToSystem(target.addr(), 0, 2);
        assertEquals(0, r.ret());
        assertEquals(0, r.cpages());
    }

    /** MIGRATE_TO_DEV of a mapping of the device file itself (VM_MIXEDMAP): EINVAL. */
    @Test
    void migrate_of_device_file_mapping_einval() {
        try (Mapping mixed = Mapping.map(PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, dmirror.fd())) {
            assertEquals(-Errno.EINVAL, dmirror.migrateToDevice(mixed.addr(), out.addr(), 1).ret());
        }
    }

    /** MIGRATE_TO_DEV of hugetlb memory: migrate_vma_setup refuses hugetlb VMAs, EINVAL. */
    @Test
    void migrate_of_hugetlb_einval() {
        String setup = Kernel.hugetlbSetup();
        long hsize = Hugetlb.defaultPageSize();
        Assumptions.assumeTrue(hsize > 0, "no hugetlb support");
        Mapping huge;
        try {
            huge = Mapping.hugetlb(hsize, PROT_READ | PROT_WRITE);
        } catch (ErrnoException e) {
            Assumptions.abort("Huge page could not be allocated: " + e.getMessage() + (setup == null ? "" : "; " + setup));
            return;
        }
        try (huge) {
            huge.ints().put(0, 1);
            assertEquals(-Errno.EINVAL, dmirror.migrateToDevice(huge.addr(), out.addr(), 1).ret());
        }
    }

    /** RELEASE and CHECK_EXCLUSIVE pass the same range checks; on a hole they have nothing to do: 0. */
    @Test
    void release_and_check_exclusive_bad_ranges() {
        for (Command c : List.of(RELEASE, CHECK_EXCLUSIVE)) {
            assertAll(c.name(),
                    () -> assertEquals(-Errno.EINVAL, dmirror.cmd(c, target.addr() + 8, 0, 1).ret(), "unaligned"),
                    () -> assertEquals(-Errno.EINVAL, dmirror.cmd(c, target.addr(), 0, 0).ret(), "npages 0"),
                    () -> assertEquals(-Errno.EINVAL, dmirror.cmd(c, -(long) PAGE_SIZE, 0, 1).ret(), "wrap"),
                    () -> assertEquals(-Errno.EINVAL, dmirror.cmd(c, target.addr(), 0, TWO_POW_52).ret(), "2^52"),
                    () -> assertEquals(0, dmirror.cmd(c, 0, 0, 1).ret(), "page 0 (never mapped)"));
        }
    }

    // ---- FLAGS (7.3) ---------------------------------------------------------------------------

    /**
     * FLAGS carries the flags in npages, so 0 fails the npages check (EINVAL) and cannot clear the
     * flags; ~0 at addr 0 passes (its "size" does not wrap) but wraps at addr 4096. 6.12 has no
     * FLAGS: EINVAL for all but the first for another reason (unknown command).
     */
    @Test
    void flags_zero_einval_and_flags_value_checked_like_npages() {
        assertEquals(-Errno.EINVAL, dmirror.flags(target.addr(), 0).ret(), "flags 0 (npages 0 check, on both ABIs)");
        assertEquals(-Errno.EINVAL, dmirror.flags(PAGE_SIZE, -1L).ret(), "flags ~0 at addr 4096: wraps");
        assertEquals(Kernel.per(-Errno.EINVAL, 0), dmirror.flags(0, -1L).ret(),
                "flags ~0 at addr 0: accepted by 7.3, unknown command on 6.12");
        assertEquals(Kernel.per(-Errno.EINVAL, 0), dmirror.flags(0, HARMLESS_FLAGS).ret(), "reset (clears FAIL_ALLOC)");
    }

    /** FAIL_ALLOC (7.3): a 4K MIGRATE_TO_DEV finds no device page (ENOENT), the one after works. */
    @Test
    void fail_alloc_migrate_to_dev_enoent_once() {
        Kernel.assume73("HMM_DMIRROR_FLAGS");
        assertEquals(0, dmirror.flags(target.addr(), 1).ret());
        assertEquals(-Errno.ENOENT, dmirror.migrateToDevice(target.addr(), out.addr(), 1).ret(), "injected failure");
        assertEquals(0, dmirror.migrateToDevice(target.addr(), out.addr(), 1).ret(), "one-shot: works again");
        Ints.assertRange("target", target.ints(), 0, 2 * PAGE_SIZE / 4, i -> i + 1);
    }

    /** FAIL_ALLOC (7.3): MIGRATE_TO_SYS of a 4K device page cannot allocate: ENOMEM, data stays reachable. */
    @Test
    void fail_alloc_migrate_to_sys_enomem() {
        Kernel.assume73("HMM_DMIRROR_FLAGS");
        assertEquals(0, dmirror.migrateToDevice(target.addr(), out.addr(), 1).ret());
        assertEquals(0, dmirror.flags(target.addr(), 1).ret());
        assertEquals(-Errno.ENOMEM, dmirror.migrateToSystem(target.addr(), 0, 1).ret());
        // One-shot: the CPU fault migrates the page back normally.
        Ints.assertRange("target", target.ints(), 0, 2 * PAGE_SIZE / 4, i -> i + 1);
    }
}
