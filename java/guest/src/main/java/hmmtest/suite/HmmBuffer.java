package hmmtest.suite;

import hmmtest.abi.CmdResult;
import hmmtest.abi.Dmirror;
import hmmtest.abi.HmmCommand;
import hmmtest.abi.Mapping;
import hmmtest.abi.Sys;

/**
 * Upstream's {@code struct hmm_buffer}: the memory the device works on ({@code ptr}), the buffer
 * the device copies to or from ({@code mirror}), and the cpages/faults of the last command.
 */
final class HmmBuffer implements AutoCloseable {
    final Mapping ptr;
    final Mapping mirror;
    final long size;
    long cpages;
    long faults;

    private HmmBuffer(Mapping ptr, Mapping mirror) {
        this.ptr = ptr;
        this.mirror = mirror;
        this.size = ptr.size();
    }

    /** hmm_buffer_alloc(): mmap the target with prot/flags/fd; the mirror is plain RW memory. */
    static HmmBuffer alloc(long mmapSize, long mirrorSize, int prot, int flags, int fd) {
        Mapping ptr = Mapping.map(mmapSize, prot, flags, fd);
        Mapping mirror = Mapping.anonymous(mirrorSize, Sys.PROT_READ | Sys.PROT_WRITE);
        return new HmmBuffer(ptr, mirror);
    }

    static HmmBuffer anonymous(long size, int prot) {
        return alloc(size, size, prot, Sys.MAP_PRIVATE | Sys.MAP_ANONYMOUS, -1);
    }

    /** hmm_dmirror_cmd(): 0 or -errno; cpages/faults are updated only on success. */
    int cmd(Dmirror d, HmmCommand c, long npages) {
        CmdResult r = d.cmd(c, ptr.addr(), mirror.addr(), npages);
        if (r.ok()) {
            cpages = r.cpages();
            faults = r.faults();
        }
        return r.ret();
    }

    @Override
    public void close() {
        ptr.close();
        mirror.close();
    }
}
