package hmmtest.fuzz;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * New kernel edges, for coverage steering, on a kernel built with the coverage profile: the
 * driver's gcov counter file ({@value #DRIVER_FILE}) is read and every 32-bit word that is non-zero
 * for the first time in the run counts as one new edge.
 *
 * <p>The driver's file only: steering aims at {@code lib/test_hmm.c}'s branches, and the mm files'
 * counters cost much more to read (debugfs serialises a whole file per open: all five files took
 * 2.9 ms per read under TCG on 2026-12-04, 44 % of the run's time).
 *
 * <p>Words rather than parsed records: the files' layout is fixed for one kernel, the header and
 * function records are non-zero from the first read on (so never new), and an arc counter leaves
 * zero exactly when its edge first runs. No .gcno is needed in the guest, so the count is of
 * instrumented arcs, not of source branches; the host's lcov report gives those.
 */
public final class CoverageFeedback implements hmmtest.engine.EdgeFeedback {
    /** Where a coverage kernel's counter files are (debugfs); the guest's GcovCounters sends them all. */
    public static final Path ROOT = Path.of("/sys/kernel/debug/gcov");
    static final String DRIVER_FILE = "test_hmm.gcda";

    private final Path file;
    private final BitSet seen = new BitSet();
    private long readNanos;
    private long reads;

    private CoverageFeedback(Path file) {
        this.file = file;
        newEdges(); // what ran before the run (module init, the VM's start) is not new
    }

    /** On a coverage kernel, a reader of the driver's counter file; otherwise empty. */
    public static Optional<hmmtest.engine.EdgeFeedback> open() {
        if (!Files.isDirectory(ROOT)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.walk(ROOT)) {
            return s.filter(p -> p.getFileName().toString().equals(DRIVER_FILE)).findFirst().<hmmtest.engine.EdgeFeedback>map(CoverageFeedback::new);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The counter file read (its name, for the log). */
    @Override
    public String name() {
        return file.getFileName().toString();
    }

    /** Words non-zero for the first time since the last call (or since the reader was made). */
    @Override
    public long newEdges() {
        long t0 = System.nanoTime();
        int n = 0;
        try {
            byte[] data = Files.readAllBytes(file); // debugfs serialises the counters at open
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
            for (int i = 0; i < data.length / 4; i++) {
                if (b.getInt(i * 4) != 0 && !seen.get(i)) {
                    seen.set(i);
                    n++;
                }
            }
        } catch (IOException e) {
            // the module went away: nothing new from it
        }
        readNanos += System.nanoTime() - t0;
        reads++;
        return n;
    }

    /** Mean cost of one {@link #newEdges()} call, in microseconds. */
    @Override
    public double microsPerRead() {
        return reads == 0 ? 0 : readNanos / 1e3 / reads;
    }
}
