package hmmtest.guest;

import hmmtest.protocol.ResultRecord;
import hmmtest.protocol.ResultRecord.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/**
 * A coverage kernel (the coverage profile) counts lines and branches of a few files in
 * debugfs: one .gcda file per instrumented object under {@value #ROOT}, at the path of the build
 * directory it was compiled in. After the work they all go to the host, one record each; a VM
 * that crashes loses its counts (the host says so).
 */
final class GcovCounters {
    static final Path ROOT = hmmtest.fuzz.CoverageFeedback.ROOT;

    private GcovCounters() {}

    /**
     * On a coverage kernel, sends every counter file each {@code seconds} from a daemon thread (the
     * host keeps the latest of each), so a VM the kernel crashes keeps what it had reached up to
     * the last round. Null on other kernels.
     */
    static java.util.concurrent.ScheduledExecutorService sendEvery(ResultChannel channel, int seconds) {
        if (!Files.isDirectory(ROOT)) {
            return null;
        }
        java.util.concurrent.ScheduledExecutorService s = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gcov-counters");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        s.scheduleWithFixedDelay(() -> {
            int n = send(channel);
            channel.info("gcov-snapshot", n + " files at " + (System.nanoTime() - start) / 1_000_000_000L + " s");
        }, seconds, seconds, java.util.concurrent.TimeUnit.SECONDS);
        return s;
    }

    /** Sends every counter file; nothing on a kernel without gcov. Returns how many were sent. */
    static int send(ResultChannel channel) {
        if (!Files.isDirectory(ROOT)) {
            return 0;
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(ROOT)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".gcda")).sorted().toList();
        } catch (IOException e) {
            channel.info("gcov-error", e.toString());
            return 0;
        }
        int sent = 0;
        for (Path f : files) {
            try {
                byte[] data = Files.readAllBytes(f); // debugfs serialises the counters as this read happens
                channel.send(ResultRecord.of(Kind.GCDA, ROOT.relativize(f).toString(),
                        Base64.getEncoder().encodeToString(data)));
                sent++;
            } catch (IOException e) {
                channel.info("gcov-error", f + ": " + e);
            }
        }
        return sent;
    }
}
