package hmmtest.abi;

import hmmtest.uapi.Errno;

import hmmtest.uapi.Command;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * A userfaultfd ({@code include/uapi/linux/userfaultfd.h}): the syscall through {@code syscall()},
 * the UFFDIO_API / UFFDIO_REGISTER / UFFDIO_COPY ioctls and fault messages. Not thread-safe per
 * method, but a handler thread may read and copy while another thread faults.
 */
public final class Userfaultfd implements AutoCloseable {
    public static final long UFFD_API = 0xAA;
    /** _IOWR(0xAA, 0x3F, struct uffdio_api): 24 bytes. */
    public static final long UFFDIO_API = Command.ioc(3, (char) 0xAA, 0x3F, 24);
    /** _IOWR(0xAA, 0x00, struct uffdio_register): 32 bytes. */
    public static final long UFFDIO_REGISTER = Command.ioc(3, (char) 0xAA, 0x00, 32);
    /** _IOWR(0xAA, 0x03, struct uffdio_copy): 40 bytes. */
    public static final long UFFDIO_COPY = Command.ioc(3, (char) 0xAA, 0x03, 40);
    public static final long UFFDIO_REGISTER_MODE_MISSING = 1;
    public static final int UFFD_EVENT_PAGEFAULT = 0x12;
    /** sizeof(struct uffd_msg). */
    public static final int MSG_SIZE = 32;

    private final int fd;

    private Userfaultfd(int fd) {
        this.fd = fd;
    }

    /**
     * syscall(__NR_userfaultfd, flags). Throws ErrnoException when the kernel has no userfaultfd
     * (ENOSYS) or refuses it; upstream SKIPs then.
     */
    public static Userfaultfd open(int flags) {
        long r = Sys.syscall(Sys.NR_USERFAULTFD, flags, 0, 0);
        if (r < 0) {
            throw new ErrnoException("userfaultfd(" + flags + ")", (int) -r);
        }
        return new Userfaultfd((int) r);
    }

    public int fd() {
        return fd;
    }

    /** UFFDIO_API handshake with {@code features}: 0 or -errno. */
    public int api(long features) {
        try (Memory m = new Memory(24)) {
            m.setLong(0, UFFD_API);
            m.setLong(8, features);
            m.setLong(16, 0);
            return Sys.ioctl(fd, UFFDIO_API, Pointer.nativeValue(m));
        }
    }

    /** UFFDIO_REGISTER [start, start+len) for missing-page faults: 0 or -errno. */
    public int registerMissing(long start, long len) {
        try (Memory m = new Memory(32)) {
            m.setLong(0, start);
            m.setLong(8, len);
            m.setLong(16, UFFDIO_REGISTER_MODE_MISSING);
            m.setLong(24, 0);
            return Sys.ioctl(fd, UFFDIO_REGISTER, Pointer.nativeValue(m));
        }
    }

    /** UFFDIO_COPY {@code len} bytes from {@code src} to {@code dst} (which wakes the faulting thread): 0 or -errno. */
    public int copy(long dst, long src, long len) {
        try (Memory m = new Memory(40)) {
            m.setLong(0, dst);
            m.setLong(8, src);
            m.setLong(16, len);
            m.setLong(24, 0);
            m.setLong(32, 0);
            return Sys.ioctl(fd, UFFDIO_COPY, Pointer.nativeValue(m));
        }
    }

    /** One {@code struct uffd_msg}: the event and, for page faults, the faulting address. */
    public record Message(int event, long address) {}

    /** read() one message; null when none is pending (EAGAIN on a non-blocking fd); throws on other errors. */
    public Message read() {
        try (Memory m = new Memory(MSG_SIZE)) {
            long r = Sys.read(fd, Pointer.nativeValue(m), MSG_SIZE);
            if (r == -Errno.EAGAIN) {
                return null;
            }
            if (r != MSG_SIZE) {
                throw new ErrnoException("read(userfaultfd) = " + r, r < 0 ? (int) -r : 0);
            }
            return new Message(m.getByte(0) & 0xff, m.getLong(16));
        }
    }

    @Override
    public void close() {
        Sys.close(fd);
    }
}
