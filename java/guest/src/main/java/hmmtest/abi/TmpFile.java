package hmmtest.abi;

import hmmtest.uapi.Errno;

/**
 * An unnamed temporary file ({@code O_TMPFILE}), deleted when closed: upstream's
 * {@code hmm_create_file()}. In the guest /tmp is tmpfs, so its pages are shmem.
 */
public final class TmpFile implements AutoCloseable {
    private int fd;

    private TmpFile(int fd) {
        this.fd = fd;
    }

    /** open(dir, O_TMPFILE|O_EXCL|O_RDWR, 0600) and ftruncate to {@code size}; throws ErrnoException. */
    public static TmpFile create(String dir, long size) {
        int fd = Sys.open(dir, Sys.O_TMPFILE | Sys.O_EXCL | Sys.O_RDWR | Sys.O_CLOEXEC);
        if (fd < 0) {
            throw new ErrnoException("open(" + dir + ", O_TMPFILE)", -fd);
        }
        int r;
        do {
            r = Sys.ftruncate(fd, size);
        } while (r == -Errno.EINTR);
        if (r != 0) {
            Sys.close(fd);
            throw new ErrnoException("ftruncate(" + size + ")", -r);
        }
        return new TmpFile(fd);
    }

    /** In /tmp, as upstream. */
    public static TmpFile create(long size) {
        return create("/tmp", size);
    }

    public int fd() {
        return fd;
    }

    /** pwrite(fd, src, len, offset): bytes written or -errno. */
    public long pwrite(Mapping src, long len, long offset) {
        return Sys.pwrite(fd, src.addr(), len, offset);
    }

    /** pread(fd, dst, len, offset): bytes read or -errno. */
    public long pread(Mapping dst, long len, long offset) {
        return Sys.pread(fd, dst.addr(), len, offset);
    }

    @Override
    public void close() {
        if (fd >= 0) {
            Sys.close(fd);
            fd = -1;
        }
    }
}
