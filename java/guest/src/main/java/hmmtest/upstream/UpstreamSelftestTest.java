package hmmtest.upstream;

import static org.junit.jupiter.api.Assertions.assertTrue;

import hmmtest.guest.ResultChannel;
import hmmtest.protocol.ResultRecord;
import hmmtest.protocol.ResultRecord.Kind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Runs the kernel tree's own tools/testing/selftests/mm/hmm-tests (built statically with the
 * kernel) in the same VM, after our suite, and streams its KTAP output to the host line by line.
 * The host compares upstream's verdict for each test with ours. This test's own verdict says only
 * whether the binary ran to the end and printed a plan; its exit status is upstream's business.
 */
@DisplayName("upstream")
public class UpstreamSelftestTest {
    public static final Path BINARY = Path.of("/opt/hmmtest/upstream/hmm-tests");

    @Test
    void hmm_tests() throws IOException, InterruptedException {
        // A prebuilt kernel comes without its tree, so without the selftest: not run, and said so.
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isRegularFile(BINARY),
                "not run: no upstream hmm-tests in this image (a prebuilt kernel comes without its source tree;"
                        + " for a kernel we built, the manifest's 'selftest' says why it did not build)");
        Process p = new ProcessBuilder(BINARY.toString())
                .directory(Path.of("/tmp").toFile())
                .redirectErrorStream(true)
                .start();
        boolean sawPlan = false;
        ResultChannel channel = ResultChannel.current();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                sawPlan |= line.matches("1\\.\\.\\d+");
                if (channel != null) {
                    channel.send(ResultRecord.of(Kind.UPSTREAM, line));
                }
            }
        }
        int exit = p.waitFor();
        if (channel != null) {
            channel.info("upstream-exit", Integer.toString(exit));
        }
        assertTrue(sawPlan, "hmm-tests printed no KTAP plan (exit " + exit + ")");
    }
}
