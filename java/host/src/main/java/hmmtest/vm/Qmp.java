package hmmtest.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A client of QEMU's machine protocol (QMP, JSON lines on a Unix socket): how the host stops a
 * VM, saves it to a file and lets it continue. Asynchronous events between replies are skipped.
 */
final class Qmp implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Qmp.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SocketChannel channel;
    private final BufferedReader in;
    private final OutputStream out;

    private Qmp(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newOutputStream(channel);
        JsonNode greeting = next();
        if (!greeting.has("QMP")) {
            throw new IOException("not a QMP greeting: " + greeting);
        }
        execute("qmp_capabilities", Map.of());
    }

    /** Connects once QEMU listens (it creates the socket early in its start-up). */
    static Qmp connect(Path socket, Duration patience, java.util.function.BooleanSupplier alive) throws IOException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
                return new Qmp(ch);
            } catch (IOException e) {
                ch.close();
                if (System.nanoTime() > deadline || !alive.getAsBoolean()) {
                    throw new IOException("no QMP on " + socket + ": " + e.getMessage(), e);
                }
                sleep(20);
            }
        }
    }

    /** Runs a command and returns its "return" value; a QMP error becomes an IOException. */
    synchronized JsonNode execute(String command, Map<String, Object> arguments) throws IOException {
        Map<String, Object> request = arguments.isEmpty() ? Map.of("execute", command)
                : Map.of("execute", command, "arguments", arguments);
        LOG.debug("QMP -> {}", request);
        out.write(JSON.writeValueAsBytes(request));
        out.write('\n');
        out.flush();
        while (true) {
            JsonNode reply = next();
            if (reply.has("return")) {
                LOG.debug("QMP <- {}", reply);
                return reply.get("return");
            }
            if (reply.has("error")) {
                throw new IOException(command + ": " + reply.get("error").path("desc").asText(reply.toString()));
            }
            // an event ({"event": ...}): not a reply
        }
    }

    /** Arguments of migrate-set-capabilities: leave RAM that lives in a shared file out of the migration stream. */
    static Map<String, Object> ignoreShared() {
        return Map.of("capabilities", java.util.List.of(Map.of("capability", "x-ignore-shared", "state", true)));
    }

    /** The VM's run state: "inmigrate", "paused", "running", "postmigrate", ... */
    String status() throws IOException {
        return execute("query-status", Map.of()).path("status").asText();
    }

    private JsonNode next() throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new IOException("QEMU closed its QMP socket");
        }
        return JSON.readTree(line);
    }

    static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // QEMU gone
        }
    }
}
