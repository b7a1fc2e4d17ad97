package hmmtest.abi;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/** {@code /proc/self/pagemap}: one 64-bit entry per virtual page (Documentation/admin-guide/mm/pagemap.rst). */
public final class Pagemap implements AutoCloseable {
    /** Bit 63: page present in RAM. */
    public static final long PM_PRESENT = 1L << 63;
    /** Bit 62: page swapped (or any swap-type entry, e.g. a device-private one). */
    public static final long PM_SWAP = 1L << 62;

    private final int fd;
    private final Memory buf = new Memory(8);

    private Pagemap(int fd) {
        this.fd = fd;
    }

    public static Pagemap open() {
        int fd = Sys.open("/proc/self/pagemap", Sys.O_RDONLY | Sys.O_CLOEXEC);
        if (fd < 0) {
            throw new ErrnoException("open(/proc/self/pagemap)", -fd);
        }
        return new Pagemap(fd);
    }

    /** The entry of the page holding {@code addr} (upstream's pagemap_get_entry()). */
    public long entry(long addr) {
        long r = Sys.pread(fd, Pointer.nativeValue(buf), 8, (addr >>> Sys.PAGE_SHIFT) * 8);
        if (r != 8) {
            throw new ErrnoException("pread(/proc/self/pagemap @0x" + Long.toHexString(addr) + ")", r < 0 ? (int) -r : 0);
        }
        return buf.getLong(0);
    }

    @Override
    public void close() {
        Sys.close(fd);
        buf.close();
    }
}
