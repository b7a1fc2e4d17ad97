package hmmtest.differential;

/**
 * The numbers of the wire to the guest's C executor, mirroring
 * {@code native/include/hmmfuzz_exec_wire.h} (where the format is described; ExecWireTest checks
 * that the two agree). Native byte order: little-endian on x86-64, both ends.
 */
final class ExecWire {
    static final long MAGIC = 0x3143455846554d48L;
    static final long VERSION = 1;
    static final int ARGS = 9;

    static final long OUTCOME = 0;
    static final long FAILED = 1;

    static final long OP_MMAP = 1;
    static final long OP_MUNMAP = 2;
    static final long OP_MPROTECT = 3;
    static final long OP_MADVISE = 4;
    static final long OP_MREMAP = 5;
    static final long OP_CPU_READ = 6;
    static final long OP_CPU_WRITE = 7;
    static final long OP_FORK_WRITE = 8;
    static final long OP_OPEN = 9;
    static final long OP_CLOSE = 10;
    static final long OP_IOCTL = 11;
    static final long OP_RESET = 12;
    static final long OP_QUIT = 13;

    static final long FD_NONE = 0;
    static final long FD_MEMFD = 1;
    static final long FD_HANDLE = 2;

    static final long BUF_NONE = 0;
    static final long BUF_WRITE = 1;
    static final long BUF_PAGES_OUT = 2;
    static final long BUF_SNAPSHOT = 3;

    /** Bytes of one request: the operation and its arguments. */
    static final int REQUEST_BYTES = 8 * (1 + ARGS);
    /** Bytes of a reply's header: status, ret, cpages, faults, ndata, nbytes. */
    static final int REPLY_HEAD_BYTES = 8 * 6;

    private ExecWire() {}
}
