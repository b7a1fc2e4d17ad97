package hmmtest.abi;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;

/**
 * An mmap'd region, owned by a test. Page-aligned, outside the Java heap, so the device and the
 * CPU see the same memory. Bulk access goes through a direct ByteBuffer view: one page fault per
 * page, no JNA call per element (TCG makes each native call expensive).
 */
public final class Mapping implements AutoCloseable {
    private long addr;
    private final long size;

    private Mapping(long addr, long size) {
        this.addr = addr;
        this.size = size;
    }

    /** mmap(NULL, size, prot, flags, fd, 0); throws ErrnoException on failure. */
    public static Mapping map(long size, int prot, int flags, int fd) {
        long a = Sys.mmap(0, size, prot, flags, fd, 0);
        if (a < 0) {
            throw new ErrnoException("mmap(" + size + ", prot=" + prot + ", flags=0x" + Integer.toHexString(flags) + ")",
                    (int) -a);
        }
        return new Mapping(a, size);
    }

    public static Mapping anonymous(long size, int prot) {
        return map(size, prot, Sys.MAP_PRIVATE | Sys.MAP_ANONYMOUS, -1);
    }

    public long addr() {
        return addr;
    }

    public long size() {
        return size;
    }

    public long pages() {
        return size >> Sys.PAGE_SHIFT;
    }

    public long page(long i) {
        return addr + (i << Sys.PAGE_SHIFT);
    }

    public Pointer pointer() {
        return new Pointer(addr);
    }

    /** A native-order int view of the whole mapping. Touching it faults pages in on the CPU. */
    public IntBuffer ints() {
        ByteBuffer b = pointer().getByteBuffer(0, size).order(ByteOrder.nativeOrder());
        return b.asIntBuffer();
    }

    public ByteBuffer bytes() {
        return pointer().getByteBuffer(0, size);
    }

    /** mprotect the whole mapping; throws on failure (use Sys.mprotect to assert an errno). */
    public void protect(int prot) {
        int r = Sys.mprotect(addr, size, prot);
        if (r != 0) {
            throw new ErrnoException("mprotect(0x" + Long.toHexString(addr) + ", " + size + ", " + prot + ")", -r);
        }
    }

    public void advise(int advice) {
        int r = Sys.madvise(addr, size, advice);
        if (r != 0) {
            throw new ErrnoException("madvise(0x" + Long.toHexString(addr) + ", " + size + ", " + advice + ")", -r);
        }
    }

    @Override
    public void close() {
        if (addr != 0) {
            Sys.munmap(addr, size);
            addr = 0;
        }
    }
}
