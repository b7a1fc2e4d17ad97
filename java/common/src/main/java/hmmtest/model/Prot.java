package hmmtest.model;

/** mmap/mprotect protections the model distinguishes. */
public enum Prot {
    NONE(false, false),
    R(true, false),
    RW(true, true);

    private final boolean read;
    private final boolean write;

    Prot(boolean read, boolean write) {
        this.read = read;
        this.write = write;
    }

    public boolean read() {
        return read;
    }

    public boolean write() {
        return write;
    }
}
