package hmmtest.abi;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * Raw libc calls through JNA direct mapping (measured ~2x faster than interface mapping for
 * ioctl). Non-API: tests use {@link Dmirror}, {@link Mapping} and {@link Sys}. Addresses are
 * plain longs; errno is read with {@code Native.getLastError()} right after the call, never with
 * a second native call.
 */
final class Libc {
    static {
        Native.register(Libc.class, NativeLibrary.getInstance("c"));
    }

    private Libc() {}

    static native int open(String path, int flags, int mode);

    static native int close(int fd);

    /** glibc's ioctl is variadic; three fixed integer/pointer args are correct on x86-64. */
    static native int ioctl(int fd, long request, long arg);

    static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

    static native int munmap(long addr, long length);

    static native int mprotect(long addr, long length, int prot);

    static native int madvise(long addr, long length, int advice);

    static native long mremap(long oldAddr, long oldSize, long newSize, int flags, long newAddr);

    static native int ftruncate(int fd, long length);

    static native long pread(int fd, long buf, long count, long offset);

    static native long pwrite(int fd, long buf, long count, long offset);

    static native long sysconf(int name);

    static native long read(int fd, long buf, long count);

    static native long write(int fd, long buf, long count);

    /** struct pollfd array at {@code fds}. */
    static native int poll(long fds, long nfds, int timeout);

    /** glibc's syscall is variadic; integer arguments only, unused ones are ignored by the kernel. */
    static native long syscall(long number, long a1, long a2, long a3);

    static native int kill(int pid, int sig);

    static native int waitpid(int pid, long status, int options);

    static native int eventfd(int initval, int flags);

    static native int memfd_create(String name, int flags);
}
