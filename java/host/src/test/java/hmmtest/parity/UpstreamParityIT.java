package hmmtest.parity;

import hmmtest.it.Kernels;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link UpstreamParityTest} after both kernel generations are built: on a cold cache the unit
 * test has no hmm-tests.c to read and SKIPs; here it always has the 6.12 and the 7.3 file.
 */
class UpstreamParityIT extends UpstreamParityTest {
    @BeforeAll
    static void buildBothGenerations() {
        Kernels.ensureBothGenerations();
    }
}
