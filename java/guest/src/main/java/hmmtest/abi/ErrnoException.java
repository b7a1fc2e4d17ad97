package hmmtest.abi;

import hmmtest.uapi.Errno;

/** A system call that had to succeed failed; the message names the call and the errno. */
public final class ErrnoException extends RuntimeException {
    private final int errno;

    public ErrnoException(String call, int errno) {
        super(call + " failed: " + Errno.describe(errno) + " (" + errno + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
