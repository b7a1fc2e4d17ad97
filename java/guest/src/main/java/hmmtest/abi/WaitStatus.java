package hmmtest.abi;

/**
 * What waitpid() reported for a child: {@code pid} and the raw status word, decoded like the
 * W* macros of {@code <sys/wait.h>}.
 */
public record WaitStatus(int pid, int raw) {
    /** WIFEXITED. */
    public boolean exited() {
        return (raw & 0x7f) == 0;
    }

    /** WEXITSTATUS. */
    public int exitStatus() {
        return (raw >> 8) & 0xff;
    }

    /** WIFSIGNALED. */
    public boolean signaled() {
        return (raw & 0x7f) != 0 && (raw & 0x7f) != 0x7f;
    }

    /** WTERMSIG. */
    public int termSig() {
        return raw & 0x7f;
    }

    @Override
    public String toString() {
        if (exited()) {
            return "exited with " + exitStatus();
        }
        return signaled() ? "killed by signal " + termSig() : "status 0x" + Integer.toHexString(raw);
    }
}
