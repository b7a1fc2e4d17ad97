package hmmtest.suite;

import hmmtest.abi.CmdResult;
import hmmtest.abi.Dmirror;
import hmmtest.uapi.Command;
import hmmtest.abi.Mapping;
import hmmtest.abi.Sys;

/**
 * Upstream's {@code struct hmm_buffer}: the memory the device works on ({@code ptr}), the buffer
 * the device copies to or from ({@code mirror}), and the cpages/faults of the last command.
 * {@code map} is what mmap returned (upstream's {@code old_ptr}, freed at the end); {@code ptr}
 * is that mapping or a window inside it, as upstream re-points {@code buffer->ptr}.
 */
final class HmmBuffer implements AutoCloseable {
    Mapping map;
    Mapping ptr;
    final Mapping mirror;
    long cpages;
    long faults;

    private HmmBuffer(Mapping map, Mapping mirror) {
        this.map = map;
        this.ptr = map;
        this.mirror = mirror;
    }

    /**
     * hmm_buffer_alloc(): mmap {@code mmapSize} bytes with prot/flags/fd; the mirror is plain RW
     * memory of {@code mirrorSize} bytes. Throws ErrnoException if the mmap fails.
     */
    static HmmBuffer alloc(long mmapSize, long mirrorSize, int prot, int flags, int fd) {
        Mapping mirror = Mapping.anonymous(mirrorSize, Sys.PROT_READ | Sys.PROT_WRITE);
        try {
            return new HmmBuffer(Mapping.map(mmapSize, prot, flags, fd), mirror);
        } catch (RuntimeException e) {
            mirror.close();
            throw e;
        }
    }

    static HmmBuffer anonymous(long size, int prot) {
        return alloc(size, size, prot, Sys.MAP_PRIVATE | Sys.MAP_ANONYMOUS, -1);
    }

    /** buffer->ptr = (void *)ALIGN((uintptr_t)map, alignment), {@code size} bytes long. */
    Mapping alignPtr(long alignment, long size) {
        ptr = map.alignedView(alignment, size);
        return ptr;
    }

    /** buffer->ptr = map + offset, {@code size} bytes long. */
    Mapping pointAt(long offset, long size) {
        ptr = map.view(map.addr() + offset, size);
        return ptr;
    }

    /**
     * hmm_dmirror_cmd(): 0 or -errno; cpages/faults are updated only on success. For
     * HMM_DMIRROR_FLAGS {@code npages} carries the flags, as upstream passes them.
     */
    int cmd(Dmirror d, Command c, long npages) {
        CmdResult r = d.cmd(c, ptr.addr(), mirror.addr(), npages);
        if (r.ok()) {
            cpages = r.cpages();
            faults = r.faults();
        }
        return r.ret();
    }

    @Override
    public void close() {
        map.close();
        mirror.close();
    }
}
