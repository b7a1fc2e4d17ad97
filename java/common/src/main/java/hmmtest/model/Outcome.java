package hmmtest.model;

import hmmtest.uapi.SnapshotByte;

import hmmtest.uapi.Errno;

import hmmtest.uapi.Command;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * What the executor observes for one action, in a form the model can predict exactly.
 *
 * <ul>
 *   <li>{@code errno}: 0 on success, else the errno of the syscall (ioctl, mmap, ...).
 *   <li>{@code cpages}, {@code faults}: read back from the ioctl struct. The executor passes
 *       {@link #POISON} in both; on error the driver does not copy the struct back, so they stay
 *       POISON (§3.1). 0 for actions that are not ioctls.
 *   <li>{@code data}: content tokens ({@link PageContent#decode}) of the ioctl's output buffer for
 *       READ, READ_UNLOCKED, MIGRATE_TO_DEV and EXCLUSIVE ({@link Action.Ioctl#bufferPages()}
 *       pages, pre-filled with {@link PageContent#POISON_TOKEN}); one token for a CPU read; empty
 *       otherwise.
 *   <li>{@code snapshot}: the SNAPSHOT buffer as lowercase hex bytes separated by spaces
 *       (pre-filled with {@link SnapshotByte#POISON}); empty for other actions.
 * </ul>
 */
public record Outcome(int errno, long cpages, long faults, List<Long> data, String snapshot) {

    /** Written into cpages and faults before every ioctl. */
    public static final long POISON = 0x5A5A_5A5A_5A5A_5A5AL;

    public Outcome {
        data = List.copyOf(data);
        Objects.requireNonNull(snapshot);
    }

    public static Outcome ok() {
        return new Outcome(0, 0, 0, List.of(), "");
    }

    public static Outcome error(int errno) {
        return new Outcome(errno, 0, 0, List.of(), "");
    }

    public static Outcome cpuRead(long token) {
        return new Outcome(0, 0, 0, List.of(token), "");
    }

    /** Builds an ioctl outcome from what the executor read back. */
    public static Outcome ioctl(int errno, long cpages, long faults, long[] pageTokens, byte[] snapshot) {
        List<Long> d = new ArrayList<>();
        if (pageTokens != null) {
            for (long t : pageTokens) {
                d.add(t);
            }
        }
        return new Outcome(errno, cpages, faults, d, snapshot == null ? "" : hex(snapshot));
    }

    static Outcome ioctlError(int errno, Action.Ioctl a) {
        List<Long> d = a.command().filter(Command::writesPageBuffer).isPresent()
                ? Collections.nCopies(a.bufferPages(), PageContent.POISON_TOKEN) : List.of();
        String s = a.command().filter(c -> c == Command.SNAPSHOT).isPresent()
                ? hex(poisonBytes(a.snapshotBytes())) : "";
        return new Outcome(errno, POISON, POISON, d, s);
    }

    private static byte[] poisonBytes(int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) SnapshotByte.POISON);
        return b;
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.length; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(HexFormat.of().toHexDigits(b[i]));
        }
        return sb.toString();
    }

    public boolean success() {
        return errno == 0;
    }

    public byte[] snapshotBytes() {
        if (snapshot.isEmpty()) {
            return new byte[0];
        }
        String[] parts = snapshot.split(" ");
        byte[] b = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            b[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return b;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(Errno.name(errno));
        if (cpages != 0 || faults != 0) {
            sb.append(" cpages=").append(num(cpages)).append(" faults=").append(num(faults));
        }
        if (!data.isEmpty()) {
            sb.append(" data=").append(tokens(data));
        }
        if (!snapshot.isEmpty()) {
            sb.append(" snapshot=[").append(snapshot).append(']');
        }
        return sb.toString();
    }

    private static String num(long v) {
        return v == POISON ? "POISON" : Long.toString(v);
    }

    static String tokens(List<Long> d) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < d.size(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            long t = d.get(i);
            sb.append(t == PageContent.POISON_TOKEN ? "POISON" : t == PageContent.GARBLED ? "GARBLED"
                    : "0x" + Long.toHexString(t));
        }
        return sb.append(']').toString();
    }
}
