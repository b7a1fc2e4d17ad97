package hmmtest.abi;

import hmmtest.uapi.Errno;
import hmmtest.uapi.Mm;

import com.sun.jna.Native;

/**
 * System calls that report failure the way upstream's selftest helpers do: 0 (or a result) on
 * success, {@code -errno} on failure. Nothing here throws, so negative tests can assert errnos.
 */
public final class Sys {
    public static final int PROT_NONE = Mm.PROT_NONE;
    public static final int PROT_READ = Mm.PROT_READ;
    public static final int PROT_WRITE = Mm.PROT_WRITE;

    public static final int MAP_SHARED = Mm.MAP_SHARED;
    public static final int MAP_PRIVATE = Mm.MAP_PRIVATE;
    public static final int MAP_FIXED = Mm.MAP_FIXED;
    public static final int MAP_ANONYMOUS = Mm.MAP_ANONYMOUS;
    public static final int MAP_NORESERVE = Mm.MAP_NORESERVE;
    public static final int MAP_POPULATE = Mm.MAP_POPULATE;
    public static final int MAP_HUGETLB = Mm.MAP_HUGETLB;

    public static final int MADV_DONTNEED = Mm.MADV_DONTNEED;
    public static final int MADV_FREE = Mm.MADV_FREE;
    public static final int MADV_HUGEPAGE = Mm.MADV_HUGEPAGE;
    public static final int MADV_NOHUGEPAGE = Mm.MADV_NOHUGEPAGE;
    public static final int MADV_COLLAPSE = Mm.MADV_COLLAPSE;

    public static final int MREMAP_MAYMOVE = Mm.MREMAP_MAYMOVE;
    public static final int MREMAP_FIXED = Mm.MREMAP_FIXED;
    public static final int MREMAP_DONTUNMAP = Mm.MREMAP_DONTUNMAP;

    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_EXCL = 0x80;
    public static final int O_CLOEXEC = 0x80000;
    public static final int O_TMPFILE = 0x410000; // __O_TMPFILE | O_DIRECTORY
    public static final int O_NONBLOCK = 0x800;

    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;
    public static final int WNOHANG = 1;

    public static final int EFD_CLOEXEC = 0x80000;
    public static final int MFD_CLOEXEC = 1;

    public static final short POLLIN = 1;

    /** x86-64 system call numbers used through {@code syscall()}, as upstream does (bookworm's glibc has no wrapper). */
    public static final long NR_USERFAULTFD = 323;

    public static final long MAP_FAILED = -1L;
    public static final int PAGE_SIZE = 4096;
    public static final int PAGE_SHIFT = 12;

    private Sys() {}

    private static int result(int r) {
        return r < 0 ? -Native.getLastError() : r;
    }

    private static long result(long r) {
        return r == -1L ? -Native.getLastError() : r;
    }

    public static int open(String path, int flags) {
        return result(Libc.open(path, flags, 0600));
    }

    public static int close(int fd) {
        return result(Libc.close(fd));
    }

    /** Returns the address, or -errno (addresses of user mappings are never negative). */
    public static long mmap(long addr, long length, int prot, int flags, int fd, long offset) {
        return result(Libc.mmap(addr, length, prot, flags, fd, offset));
    }

    public static int munmap(long addr, long length) {
        return result(Libc.munmap(addr, length));
    }

    public static int mprotect(long addr, long length, int prot) {
        return result(Libc.mprotect(addr, length, prot));
    }

    public static int madvise(long addr, long length, int advice) {
        return result(Libc.madvise(addr, length, advice));
    }

    public static long mremap(long oldAddr, long oldSize, long newSize, int flags, long newAddr) {
        return result(Libc.mremap(oldAddr, oldSize, newSize, flags, newAddr));
    }

    public static int ftruncate(int fd, long length) {
        return result(Libc.ftruncate(fd, length));
    }

    public static long pread(int fd, long buf, long count, long offset) {
        return result(Libc.pread(fd, buf, count, offset));
    }

    public static long pwrite(int fd, long buf, long count, long offset) {
        return result(Libc.pwrite(fd, buf, count, offset));
    }

    /** The raw ioctl with a pointer argument: 0 or -errno. */
    public static int ioctl(int fd, long request, long arg) {
        return result(Libc.ioctl(fd, request, arg));
    }

    public static long read(int fd, long buf, long count) {
        return result(Libc.read(fd, buf, count));
    }

    public static long write(int fd, long buf, long count) {
        return result(Libc.write(fd, buf, count));
    }

    /** poll() over {@code nfds} struct pollfd (8 bytes each) at {@code fds}: ready count or -errno. */
    public static int poll(long fds, int nfds, int timeoutMs) {
        return result(Libc.poll(fds, nfds, timeoutMs));
    }

    /** A raw system call with up to three integer arguments: the result or -errno. */
    public static long syscall(long number, long a1, long a2, long a3) {
        return result(Libc.syscall(number, a1, a2, a3));
    }

    public static int kill(int pid, int sig) {
        return result(Libc.kill(pid, sig));
    }

    /**
     * waitpid(pid, &status, options): the status of a child that changed state, null if
     * WNOHANG and it has not, or throws ErrnoException (e.g. ECHILD).
     */
    public static WaitStatus waitpid(int pid, int options) {
        try (com.sun.jna.Memory status = new com.sun.jna.Memory(4)) {
            for (;;) {
                int r = Libc.waitpid(pid, com.sun.jna.Pointer.nativeValue(status), options);
                if (r >= 0) {
                    return r == 0 ? null : new WaitStatus(r, status.getInt(0));
                }
                int errno = Native.getLastError();
                if (errno != Errno.EINTR) {
                    throw new ErrnoException("waitpid(" + pid + ")", errno);
                }
            }
        }
    }

    public static int eventfd(int initval, int flags) {
        return result(Libc.eventfd(initval, flags));
    }

    public static int memfdCreate(String name, int flags) {
        return result(Libc.memfd_create(name, flags));
    }
}
