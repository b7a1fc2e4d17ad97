package hmmtest.guest;

import hmmtest.abi.CmdResult;
import hmmtest.abi.Dmirror;
import hmmtest.abi.Mapping;
import hmmtest.abi.Sys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A benchmark, not a test: the cost of one dmirror READ of an already mirrored page through
 * JNA (our Dmirror API, as the suite uses it), then the same loop in C (native/bench/read_bench),
 * in the same VM, so the figure that matters is their ratio. Results go out as info records.
 */
final class ReadBenchmark {
    static final String C_BASELINE = "/opt/hmmtest/native/read_bench";

    private ReadBenchmark() {}

    /** Alternates C and JNA rounds (C, JNA, C, JNA) so host noise hits both alike. */
    static void run(ResultChannel channel, int iterations) throws IOException, InterruptedException {
        StringBuilder java = new StringBuilder();
        StringBuilder c = new StringBuilder();
        for (int round = 0; round < 2; round++) {
            c.append(c.length() == 0 ? "" : ",").append(cRound(iterations));
            java.append(java.length() == 0 ? "" : ",").append(javaRound(iterations));
        }
        channel.info("bench-java-ns", java.toString());
        channel.info("bench-c-ns", c.toString());
    }

    private static String javaRound(int iterations) {
        try (Dmirror d = Dmirror.open(0);
                Mapping page = Mapping.anonymous(Sys.PAGE_SIZE, Sys.PROT_READ | Sys.PROT_WRITE);
                Mapping out = Mapping.anonymous(Sys.PAGE_SIZE, Sys.PROT_READ | Sys.PROT_WRITE)) {
            page.bytes().put(0, (byte) 0x5a);
            check(d.read(page.addr(), out.addr(), 1));
            for (int i = 0; i < iterations / 5; i++) { // warm-up: let C1 compile the call path
                check(d.read(page.addr(), out.addr(), 1));
            }
            long start = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                check(d.read(page.addr(), out.addr(), 1));
            }
            return String.format(Locale.ROOT, "%.0f", (System.nanoTime() - start) / (double) iterations);
        }
    }

    private static String cRound(int iterations) throws IOException, InterruptedException {
        Process c = new ProcessBuilder(C_BASELINE, Integer.toString(iterations)).redirectErrorStream(true).start();
        String output = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int exit = c.waitFor();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("ns_per_call=(\\d+)").matcher(output);
        if (exit != 0 || !m.find()) {
            throw new IOException("read_bench failed (exit " + exit + "): " + output);
        }
        return m.group(1);
    }

    private static void check(CmdResult r) {
        if (!r.ok()) {
            throw new IllegalStateException("READ failed: " + r);
        }
    }
}
