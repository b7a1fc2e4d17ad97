package hmmtest.guest;

import hmmtest.protocol.TestMarker;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes test boundaries into the kernel log ({@code /dev/kmsg}), so they reach the console in
 * one total order with the kernel's own messages: the host pins a crash on the test whose start
 * marker came last before the report, with no race between the console and the result channel.
 */
final class KmsgMarkers implements AutoCloseable {
    private final java.io.OutputStream kmsg;

    /** Markers written to {@code kmsg} (the kernel log; a buffer in tests), one write per marker. */
    KmsgMarkers(java.io.OutputStream kmsg) {
        this.kmsg = kmsg;
    }

    static KmsgMarkers open() {
        try {
            return new KmsgMarkers(new FileOutputStream("/dev/kmsg"));
        } catch (IOException e) {
            return new KmsgMarkers(null); // not in the VM: no markers, the result channel still works
        }
    }

    void start(String test) {
        write(TestMarker.startText(test));
    }

    void end(String test, String status) {
        write(TestMarker.endText(test, status));
    }

    private void write(String text) {
        if (kmsg != null) {
            try {
                kmsg.write((text + "\n").getBytes(StandardCharsets.UTF_8)); // one write = one record
            } catch (IOException ignored) {
                // the kernel log is best effort
            }
        }
    }

    @Override
    public void close() {
        if (kmsg != null) {
            try {
                kmsg.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
