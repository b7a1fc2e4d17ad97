package hmmtest.container;

import hmmtest.infra.ExitCode;
import hmmtest.infra.HarnessException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Docker engine the backend talks to ({@code $DOCKER_HOST}, else the default socket), and a
 * quick {@code GET /_ping} so that a machine without an engine fails in well under a second with
 * a message saying how to get one, instead of Testcontainers' minutes of strategy probing.
 */
public record DockerEngine(String endpoint) {
    public static final String DEFAULT = "unix:///var/run/docker.sock";

    public static DockerEngine fromEnvironment(Map<String, String> env) {
        String host = env.get("DOCKER_HOST");
        return new DockerEngine(host == null || host.isBlank() ? DEFAULT : host.trim());
    }

    /** Throws {@link ExitCode#MISSING_HOST_TOOLS} with the how-to unless an engine answers the ping. */
    public void ping(Duration timeout) {
        String answer;
        try {
            answer = request("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n", timeout);
        } catch (IOException e) {
            throw missing(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        if (!answer.startsWith("HTTP/") || !answer.contains(" 200 ")) {
            String first = answer.lines().findFirst().orElse("(nothing)");
            throw missing("it answered '" + first + "', not as a Docker engine");
        }
    }

    HarnessException missing(String why) {
        return new HarnessException(ExitCode.MISSING_HOST_TOOLS, "no Docker engine at " + endpoint + " (" + why
                + "): install docker.io and start dockerd (as .ci/run does: dockerd --iptables=false --bridge=none),"
                + " point DOCKER_HOST at a running engine, or use BACKEND=local");
    }

    private String request(String http, Duration timeout) throws IOException {
        URI uri = URI.create(endpoint);
        if ("unix".equals(uri.getScheme())) {
            return unix(Path.of(uri.getPath()), http, timeout);
        }
        if ("tcp".equals(uri.getScheme()) || "http".equals(uri.getScheme())) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort()),
                        (int) timeout.toMillis());
                s.setSoTimeout((int) timeout.toMillis());
                s.getOutputStream().write(http.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                return new String(s.getInputStream().readNBytes(4096), StandardCharsets.ISO_8859_1);
            }
        }
        throw new IOException("unsupported DOCKER_HOST scheme '" + uri.getScheme() + "' (unix:// or tcp://)");
    }

    private static String unix(Path socket, String http, Duration timeout) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try (ch) {
            ch.connect(UnixDomainSocketAddress.of(socket)); // a missing or dead socket fails here at once
            ch.write(ByteBuffer.wrap(http.getBytes(StandardCharsets.US_ASCII)));
            CompletableFuture<String> reply = CompletableFuture.supplyAsync(() -> {
                ByteBuffer buf = ByteBuffer.allocate(4096);
                try {
                    while (buf.hasRemaining() && ch.read(buf) >= 0) {
                        // an HTTP/1.0 answer ends with the connection
                    }
                } catch (IOException e) {
                    // closed on timeout, or reset: whatever arrived is the answer
                }
                return new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1);
            });
            try {
                return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new IOException("no answer within " + timeout.toSeconds() + " s");
            } catch (ExecutionException e) {
                throw new IOException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        } catch (java.net.SocketException | java.nio.file.NoSuchFileException e) {
            throw new IOException((e.getMessage() == null ? "cannot connect" : e.getMessage()) + ": " + socket);
        }
    }
}
