package hmmtest.abi;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.Map;
import java.util.TreeMap;

/**
 * An mmap'd region, owned by a test. Page-aligned, outside the Java heap, so the device and the
 * CPU see the same memory. Bulk access goes through a direct ByteBuffer view: one page fault per
 * page, no JNA call per element (TCG makes each native call expensive).
 *
 * <p>A mapping remembers which of its pages are still mapped: {@link #unmap} punches holes and
 * {@link #remap} moves pages, and {@link #close} unmaps only what is still ours, so the JVM's own
 * mappings that may have moved into a hole are never touched. {@link #view} gives a non-owning
 * window (upstream's {@code buffer->ptr} pointing inside a larger mmap); unmapping through a view
 * updates its owner.
 */
public final class Mapping implements AutoCloseable {
    private final long addr;
    private final long size;
    /** The mapping that owns the pages: this, or the mapping a view was taken from. */
    private final Mapping owner;
    /** Owners only: live ranges, start to end (absolute addresses). */
    private final TreeMap<Long, Long> live;

    private Mapping(long addr, long size, Mapping owner) {
        this.addr = addr;
        this.size = size;
        this.owner = owner == null ? this : owner;
        this.live = owner == null ? new TreeMap<>() : null;
        if (owner == null) {
            live.put(addr, addr + pageAlign(size));
        }
    }

    /** mmap(NULL, size, prot, flags, fd, 0); throws ErrnoException on failure. */
    public static Mapping map(long size, int prot, int flags, int fd) {
        long a = Sys.mmap(0, size, prot, flags, fd, 0);
        if (a < 0) {
            throw new ErrnoException("mmap(" + size + ", prot=" + prot + ", flags=0x" + Integer.toHexString(flags)
                    + ", fd=" + fd + ")", (int) -a);
        }
        return new Mapping(a, size, null);
    }

    /** MAP_PRIVATE | MAP_ANONYMOUS. */
    public static Mapping anonymous(long size, int prot) {
        return map(size, prot, Sys.MAP_PRIVATE | Sys.MAP_ANONYMOUS, -1);
    }

    /** MAP_SHARED | MAP_ANONYMOUS: shmem pages shared with forked children. */
    public static Mapping anonymousShared(long size, int prot) {
        return map(size, prot, Sys.MAP_SHARED | Sys.MAP_ANONYMOUS, -1);
    }

    /**
     * MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB of the default huge page size. Throws
     * ErrnoException (ENOMEM) when no huge page is free: see {@link Hugetlb#setupDefaultPages}.
     */
    public static Mapping hugetlb(long size, int prot) {
        return map(size, prot, Sys.MAP_PRIVATE | Sys.MAP_ANONYMOUS | Sys.MAP_HUGETLB, -1);
    }

    /** The file's first {@code size} bytes, MAP_SHARED or MAP_PRIVATE. */
    public static Mapping file(TmpFile file, long size, int prot, int flags) {
        return map(size, prot, flags, file.fd());
    }

    /**
     * A non-owning window {@code [addr, addr+size)} inside this mapping's reservation (or moved
     * there by {@link #remap}). Closing a view does nothing; unmapping through it updates the
     * owner.
     */
    public Mapping view(long viewAddr, long viewSize) {
        return new Mapping(viewAddr, viewSize, owner);
    }

    /** The view of {@code viewSize} bytes at the first multiple of {@code alignment} (upstream's ALIGN()). */
    public Mapping alignedView(long alignment, long viewSize) {
        long a = (addr + alignment - 1) & -alignment;
        if (a + viewSize > addr + size) {
            throw new IllegalArgumentException("no " + viewSize + "-byte window aligned to " + alignment + " in " + this);
        }
        return view(a, viewSize);
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

    /** munmap(addr + offset, length): 0 or -errno. The pages are no longer ours to unmap at close. */
    public int unmap(long offset, long length) {
        return owner.unmapAbsolute(addr + offset, length);
    }

    /**
     * mremap(this, size, size, flags, newAddr) with MREMAP_MAYMOVE|MREMAP_FIXED[|DONTUNMAP] as the
     * caller chooses; returns a view of the moved pages (owned by this mapping's owner, so close()
     * unmaps them) or throws ErrnoException.
     */
    public Mapping remap(long newAddr, int flags) {
        long r = Sys.mremap(addr, size, size, flags, newAddr);
        if (r < 0) {
            throw new ErrnoException("mremap(0x" + Long.toHexString(addr) + " -> 0x" + Long.toHexString(newAddr)
                    + ", flags=" + flags + ")", (int) -r);
        }
        owner.moved(addr, size, r, (flags & Sys.MREMAP_DONTUNMAP) != 0);
        return view(r, size);
    }

    private synchronized int unmapAbsolute(long start, long length) {
        int r = Sys.munmap(start, length);
        if (r == 0) {
            remove(start, start + pageAlign(length));
        }
        return r;
    }

    private synchronized void moved(long from, long length, long to, boolean oldStaysMapped) {
        long len = pageAlign(length);
        if (!oldStaysMapped) {
            remove(from, from + len);
        }
        remove(to, to + len);
        live.put(to, to + len);
    }

    /** Drops [start, end) from the live ranges, splitting ranges that straddle it. */
    private void remove(long start, long end) {
        TreeMap<Long, Long> keep = new TreeMap<>();
        for (Map.Entry<Long, Long> e : live.entrySet()) {
            long s = e.getKey();
            long t = e.getValue();
            if (t <= start || s >= end) {
                keep.put(s, t);
                continue;
            }
            if (s < start) {
                keep.put(s, start);
            }
            if (t > end) {
                keep.put(end, t);
            }
        }
        live.clear();
        live.putAll(keep);
    }

    private static long pageAlign(long n) {
        return (n + Sys.PAGE_SIZE - 1) & -(long) Sys.PAGE_SIZE;
    }

    /** Owners: munmap every range still mapped. Views: nothing. */
    @Override
    public void close() {
        if (owner != this) {
            return;
        }
        synchronized (this) {
            for (Map.Entry<Long, Long> e : live.entrySet()) {
                Sys.munmap(e.getKey(), e.getValue() - e.getKey());
            }
            live.clear();
        }
    }

    @Override
    public String toString() {
        return "Mapping[0x" + Long.toHexString(addr) + "+" + size + (owner == this ? "" : " view") + "]";
    }
}
