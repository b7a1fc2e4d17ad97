package hmmtest.abi;

import hmmtest.uapi.Errno;

/**
 * The result of one dmirror ioctl, like upstream's {@code hmm_dmirror_cmd()} helper: {@code ret}
 * is 0 or -errno; {@code cpages} and {@code faults} are meaningful only when ret is 0, because the
 * driver does not copy the struct back on error.
 */
public record CmdResult(int ret, long cpages, long faults) {
    public boolean ok() {
        return ret == 0;
    }

    @Override
    public String toString() {
        return ret == 0 ? "0 (cpages=" + cpages + ", faults=" + faults + ")" : Errno.describe(ret) + " (" + ret + ")";
    }
}
