package hmmtest.abi;

import hmmtest.uapi.Command;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * The gup_test debugfs interface ({@code /sys/kernel/debug/gup_test}, CONFIG_GUP_TEST): runs the
 * kernel's get_user_pages()/pin_user_pages() variants on a user range ({@code mm/gup_test.h}).
 */
public final class GupTest implements AutoCloseable {
    public static final String PATH = "/sys/kernel/debug/gup_test";
    /** sizeof(struct gup_test): 4 __u64, 3 __u32, __u32 which_pages[8], padded to 8. */
    public static final int STRUCT_SIZE = 80;
    public static final long GUP_FAST_BENCHMARK = Command.ioc(3, 'g', 1, STRUCT_SIZE);
    public static final long PIN_FAST_BENCHMARK = Command.ioc(3, 'g', 2, STRUCT_SIZE);
    public static final long PIN_LONGTERM_BENCHMARK = Command.ioc(3, 'g', 3, STRUCT_SIZE);
    public static final long GUP_BASIC_TEST = Command.ioc(3, 'g', 4, STRUCT_SIZE);
    /** include/linux/mm_types.h (copied by the selftests as well). */
    public static final int FOLL_WRITE = 0x01;
    public static final int FOLL_LONGTERM = 0x100;

    private final int fd;

    private GupTest(int fd) {
        this.fd = fd;
    }

    /** Opens the debugfs file; null if it is not there (no debugfs or no CONFIG_GUP_TEST). */
    public static GupTest openOrNull() {
        int fd = Sys.open(PATH, Sys.O_RDWR | Sys.O_CLOEXEC);
        return fd < 0 ? null : new GupTest(fd);
    }

    /**
     * Upstream's gup_test_exec(): one ioctl with nr_pages_per_call = npages, gup_flags =
     * FOLL_WRITE | flags. Returns 0 or the positive errno, as upstream does.
     */
    public int exec(long addr, long cmd, int npages, long size, int flags) {
        try (Memory m = new Memory(STRUCT_SIZE)) {
            m.clear();
            m.setLong(16, addr);
            m.setLong(24, size);
            m.setInt(32, npages);
            m.setInt(36, FOLL_WRITE | flags);
            int r = Sys.ioctl(fd, cmd, Pointer.nativeValue(m));
            return r == 0 ? 0 : -r;
        }
    }

    @Override
    public void close() {
        Sys.close(fd);
    }
}
