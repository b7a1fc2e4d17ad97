package hmmtest.abi;

import hmmtest.uapi.AbiVersion;

import hmmtest.uapi.Errno;

import hmmtest.uapi.Command;

import com.sun.jna.Memory;
import com.sun.jna.Native;

/**
 * One open {@code /dev/hmm_dmirrorN}: a mirror bound to this process's address space. The only
 * class that issues dmirror ioctls. Not thread-safe: it reuses one 40-byte command buffer.
 */
public final class Dmirror implements AutoCloseable {
    private final int device;
    private final Memory cmd = new Memory(Command.BLOCK_SIZE);
    private final long cmdAddr = com.sun.jna.Pointer.nativeValue(cmd);
    private int fd;

    private Dmirror(int device, int fd) {
        this.device = device;
        this.fd = fd;
    }

    public static String path(int device) {
        return "/dev/hmm_dmirror" + device;
    }

    /** Opens device N; throws ErrnoException (e.g. ENOENT when the node does not exist). */
    public static Dmirror open(int device) {
        int fd = Sys.open(path(device), Sys.O_RDWR | Sys.O_CLOEXEC);
        if (fd < 0) {
            throw new ErrnoException("open(" + path(device) + ")", -fd);
        }
        return new Dmirror(device, fd);
    }

    public int device() {
        return device;
    }

    public int fd() {
        return fd;
    }

    /**
     * Issues a command. Retries on EINTR as upstream's helper does; on error returns -errno and
     * leaves cpages/faults at 0 (the kernel's values are not copied back).
     */
    public CmdResult cmd(Command c, long addr, long ptr, long npages) {
        return raw(c.request(), addr, ptr, npages);
    }

    /**
     * Issues {@code request} with every field of the command block chosen by the caller and
     * returns the return value and all five fields as the kernel left them (no EINTR retry): shows
     * what is copied back, and what is not, on success and on error.
     */
    public CmdBlock rawBlock(long request, long addr, long ptr, long npages, long cpages, long faults) {
        cmd.setLong(Command.OFFSET_ADDR, addr);
        cmd.setLong(Command.OFFSET_PTR, ptr);
        cmd.setLong(Command.OFFSET_NPAGES, npages);
        cmd.setLong(Command.OFFSET_CPAGES, cpages);
        cmd.setLong(Command.OFFSET_FAULTS, faults);
        int r = Libc.ioctl(fd, request, cmdAddr);
        int ret = r == 0 ? 0 : -Native.getLastError();
        return new CmdBlock(ret, cmd.getLong(Command.OFFSET_ADDR), cmd.getLong(Command.OFFSET_PTR), cmd.getLong(Command.OFFSET_NPAGES), cmd.getLong(Command.OFFSET_CPAGES), cmd.getLong(Command.OFFSET_FAULTS));
    }

    /** The return value of one ioctl and the command block after it. */
    public record CmdBlock(int ret, long addr, long ptr, long npages, long cpages, long faults) {}

    /** Same as {@link #cmd} with any request number (negative tests use unknown ones). */
    public CmdResult raw(long request, long addr, long ptr, long npages) {
        cmd.setLong(Command.OFFSET_ADDR, addr);
        cmd.setLong(Command.OFFSET_PTR, ptr);
        cmd.setLong(Command.OFFSET_NPAGES, npages);
        cmd.setLong(Command.OFFSET_CPAGES, 0);
        cmd.setLong(Command.OFFSET_FAULTS, 0);
        for (;;) {
            int r = Libc.ioctl(fd, request, cmdAddr);
            if (r == 0) {
                return new CmdResult(0, cmd.getLong(Command.OFFSET_CPAGES), cmd.getLong(Command.OFFSET_FAULTS));
            }
            int errno = Native.getLastError();
            if (errno != Errno.EINTR) {
                return new CmdResult(-errno, 0, 0);
            }
        }
    }

    public CmdResult read(long addr, long ptr, long npages) {
        return cmd(Command.READ, addr, ptr, npages);
    }

    public CmdResult write(long addr, long ptr, long npages) {
        return cmd(Command.WRITE, addr, ptr, npages);
    }

    public CmdResult migrateToDevice(long addr, long ptr, long npages) {
        return cmd(Command.MIGRATE_TO_DEV, addr, ptr, npages);
    }

    public CmdResult migrateToSystem(long addr, long ptr, long npages) {
        return cmd(Command.MIGRATE_TO_SYS, addr, ptr, npages);
    }

    public CmdResult snapshot(long addr, long ptr, long npages) {
        return cmd(Command.SNAPSHOT, addr, ptr, npages);
    }

    public CmdResult exclusive(long addr, long ptr, long npages) {
        return cmd(Command.EXCLUSIVE, addr, ptr, npages);
    }

    public CmdResult checkExclusive(long addr, long npages) {
        return cmd(Command.CHECK_EXCLUSIVE, addr, 0, npages);
    }

    public CmdResult release(long addr, long npages) {
        return cmd(Command.RELEASE, addr, 0, npages);
    }

    /** HMM_DMIRROR_FLAGS (7.3): {@code flags} travels in npages, so 0 is rejected (EINVAL). */
    public CmdResult flags(long addr, long flags) {
        return cmd(Command.FLAGS, addr, 0, flags);
    }

    public CmdResult readUnlocked(long addr, long ptr, long npages) {
        return cmd(Command.READ_UNLOCKED, addr, ptr, npages);
    }

    private static AbiVersion running;

    /**
     * The ABI of the running kernel, probed once on /dev/hmm_dmirror0 and cached. Throws if the
     * driver answers neither way: a suite must not guess.
     */
    public static synchronized AbiVersion runningAbi() {
        if (running == null) {
            try (Dmirror d = open(0)) {
                AbiVersion abi = probeAbi(d);
                if (abi == null) {
                    throw new IllegalStateException("cannot tell the test_hmm ABI: READ_UNLOCKED answered neither 0 nor EINVAL");
                }
                running = abi;
            }
        }
        return running;
    }

    /**
     * Finds the ABI of the running kernel: READ_UNLOCKED of one readable page is EINVAL ("unknown
     * command") on 6.12 and succeeds on 7.3. Returns null if neither answer came back.
     */
    public static AbiVersion probeAbi(Dmirror d) {
        try (Mapping page = Mapping.anonymous(Sys.PAGE_SIZE, Sys.PROT_READ | Sys.PROT_WRITE);
                Mapping out = Mapping.anonymous(Sys.PAGE_SIZE, Sys.PROT_READ | Sys.PROT_WRITE)) {
            CmdResult r = d.cmd(Command.READ_UNLOCKED, page.addr(), out.addr(), 1);
            if (r.ok()) {
                return AbiVersion.V7_3;
            }
            return r.ret() == -Errno.EINVAL ? AbiVersion.V6_12 : null;
        }
    }

    /** close() the fd; returns 0 or -errno like upstream's teardown, which asserts 0. */
    public int closeFd() {
        if (fd < 0) {
            return 0;
        }
        int r = Sys.close(fd);
        fd = -1;
        return r;
    }

    @Override
    public void close() {
        closeFd();
    }
}
