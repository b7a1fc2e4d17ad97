package hmmtest.protocol;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one VM is to do, and the one definition of how it reaches the guest. A VM booted cold gets
 * it on the kernel command line ({@link #kernelArgs}) plus an extra initramfs archive for the
 * files; a VM restored from a warm snapshot gets it over the host-to-guest port
 * {@value #CONTROL_PORT} ({@link #write}/{@link #read}), with the host's wall-clock time and a
 * fresh random seed, because a restored guest's clock and entropy are the snapshot's.
 *
 * <p>Wire format (big-endian, {@link DataOutputStream}): magic, mode, select, skip, from, wall
 * clock in epoch milliseconds, seed bytes, then the files (path relative to the guest's root, as in
 * an initramfs archive: {@code etc/hmmtest/fuzz.args}; bytes).
 */
public record WorkOrder(String mode, String select, String skip, int from, Map<String, byte[]> files) {
    /** The virtio-serial port name of the host-to-guest channel. */
    public static final String CONTROL_PORT = "hmmtest.control";
    /** Kernel command line flag of a VM that waits for its work order (and is snapshotted first). */
    public static final String SERVE_ARG = "hmmtest.serve=1";
    private static final int MAGIC = 0x484d4d31; // "HMM1"

    public WorkOrder {
        mode = mode == null ? "suite" : mode;
        files = Map.copyOf(files);
    }

    /**
     * Longest selection the kernel command line carries (x86 allows 2048 bytes in all); a longer
     * one (a shard or a batch of the JOBS queue names its tests one by one) travels as the file
     * {@value #SELECT_FILE}, which the guest reads when its command line has no selection.
     */
    public static final int MAX_CMDLINE_SELECT = 512;
    public static final String SELECT_FILE = "etc/hmmtest/select";

    public static WorkOrder suite(String select, String skip, int from) {
        return new WorkOrder("suite", select, skip, from, select != null && select.length() > MAX_CMDLINE_SELECT
                ? Map.of(SELECT_FILE, select.getBytes(java.nio.charset.StandardCharsets.UTF_8)) : Map.of());
    }

    /** The same order with one more file for the guest. */
    public WorkOrder withFile(String path, byte[] content) {
        Map<String, byte[]> more = new LinkedHashMap<>(files);
        more.put(path, content);
        return new WorkOrder(mode, select, skip, from, more);
    }

    public static WorkOrder mode(String mode, Map<String, byte[]> files) {
        return new WorkOrder(mode, null, null, 0, files);
    }

    /** The hmmtest.KEY=VALUE words a cold boot passes to the guest's init (the files travel separately). */
    public List<String> kernelArgs() {
        List<String> a = new ArrayList<>();
        if (!mode.equals("suite")) {
            a.add("hmmtest.mode=" + mode);
        }
        if (from > 0) {
            a.add("hmmtest.from=" + from);
        }
        if (select != null && select.length() <= MAX_CMDLINE_SELECT) {
            a.add("hmmtest.select=" + select);
        }
        if (skip != null) {
            a.add("hmmtest.skip=" + skip);
        }
        return a;
    }

    /** The order as sent to a restored guest: with the host's clock and a seed for the guest's entropy pool. */
    public void write(OutputStream os, long epochMillis, byte[] seed) throws IOException {
        DataOutputStream out = new DataOutputStream(os);
        out.writeInt(MAGIC);
        out.writeUTF(mode);
        out.writeUTF(select == null ? "" : select);
        out.writeUTF(skip == null ? "" : skip);
        out.writeInt(from);
        out.writeLong(epochMillis);
        out.writeInt(seed.length);
        out.write(seed);
        out.writeInt(files.size());
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            out.writeUTF(f.getKey());
            out.writeInt(f.getValue().length);
            out.write(f.getValue());
        }
        out.flush();
    }

    /** A work order as the guest received it. */
    public record Received(WorkOrder order, long epochMillis, byte[] seed) {}

    public static Received read(InputStream is) throws IOException {
        DataInputStream in = new DataInputStream(is);
        if (in.readInt() != MAGIC) {
            throw new IOException("not a work order (bad magic)");
        }
        String mode = in.readUTF();
        String select = in.readUTF();
        String skip = in.readUTF();
        int from = in.readInt();
        long clock = in.readLong();
        byte[] seed = in.readNBytes(in.readInt());
        int n = in.readInt();
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            files.put(name, in.readNBytes(in.readInt()));
        }
        return new Received(new WorkOrder(mode, select.isEmpty() ? null : select, skip.isEmpty() ? null : skip,
                from, files), clock, seed);
    }
}
