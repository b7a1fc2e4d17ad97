package hmmtest.guest;

import hmmtest.protocol.ResultRecord;
import hmmtest.protocol.ResultRecord.Kind;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes records to the host over the virtio-serial port, one write per line, unbuffered: a
 * record written before a test starts must reach the host even if the test kills the kernel.
 */
public final class ResultChannel implements AutoCloseable {
    private static volatile ResultChannel current;
    private final OutputStream out;

    private ResultChannel(OutputStream out) {
        this.out = out;
        current = this;
    }

    /** The open channel, for tests that stream more than a verdict (the upstream selftest's output). */
    public static ResultChannel current() {
        return current;
    }

    /** The port's device node, or stdout when none is given (running outside the VM). */
    public static ResultChannel open(String path) {
        try {
            return new ResultChannel(path == null ? System.out : new FileOutputStream(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open result channel " + path, e);
        }
    }

    public synchronized void send(ResultRecord r) {
        try {
            out.write((r.encode() + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void phase(String name) {
        send(ResultRecord.of(Kind.PHASE, name, uptime()));
    }

    public void info(String key, String value) {
        send(ResultRecord.of(Kind.INFO, key, value));
    }

    /** Guest uptime in seconds, as the kernel's console timestamps count it. */
    static String uptime() {
        try {
            return Files.readString(Path.of("/proc/uptime")).split(" ")[0];
        } catch (IOException e) {
            return "-1";
        }
    }

    @Override
    public void close() {
        if (out != System.out) {
            try {
                out.close();
            } catch (IOException ignored) {
                // the host sees the missing "done" record
            }
        }
    }
}
