package hmmtest.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import hmmtest.abi.Dmirror;
import hmmtest.abi.ErrnoException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Upstream's {@code FIXTURE(hmm2)}: two devices opened before each test and both closed
 * (asserting 0) after it. Variants name the pair: 0 and 1 (private) or 2 and 3 (coherent).
 */
@TestMethodOrder(UpstreamOrder.class)
abstract class Hmm2Fixture {
    static final int PAGE_SIZE = 4096;
    static final int PAGE_SHIFT = 12;

    abstract int deviceNumber0();

    abstract int deviceNumber1();

    boolean coherent() {
        return deviceNumber0() >= 2;
    }

    protected Dmirror dmirror0;
    protected Dmirror dmirror1;

    @BeforeEach
    void openDevices() {
        try {
            dmirror0 = Dmirror.open(deviceNumber0());
        } catch (ErrnoException e) {
            Assumptions.assumeFalse(coherent(), "DEVICE_COHERENT not available");
            throw e;
        }
        dmirror1 = Dmirror.open(deviceNumber1());
    }

    @AfterEach
    void closeDevices() {
        if (dmirror0 != null) {
            assertEquals(0, dmirror0.closeFd(), "close(fd0)");
        }
        if (dmirror1 != null) {
            assertEquals(0, dmirror1.closeFd(), "close(fd1)");
        }
    }
}
