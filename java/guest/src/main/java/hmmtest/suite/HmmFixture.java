package hmmtest.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import hmmtest.abi.Dmirror;
import hmmtest.abi.ErrnoException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Upstream's {@code FIXTURE(hmm)}: one device opened before each test and closed (asserting 0)
 * after it. Variants are subclasses naming the device, as {@code FIXTURE_VARIANT_ADD} does.
 */
@TestMethodOrder(UpstreamOrder.class)
abstract class HmmFixture {
    static final int HMM_BUFFER_SIZE = 1024 << 12;
    static final int PAGE_SIZE = 4096;
    static final int PAGE_SHIFT = 12;

    /** The device this variant opens: 0 (private) or 2 (coherent). */
    abstract int deviceNumber();

    /** upstream's hmm_is_coherent_type(variant->device_number). */
    boolean coherent() {
        return deviceNumber() >= 2;
    }

    protected Dmirror dmirror;

    @BeforeEach
    void openDevice() {
        try {
            dmirror = Dmirror.open(deviceNumber());
        } catch (ErrnoException e) {
            Assumptions.assumeFalse(deviceNumber() >= 2, "DEVICE_COHERENT not available");
            throw e;
        }
    }

    @AfterEach
    void closeDevice() {
        if (dmirror != null) {
            assertEquals(0, dmirror.closeFd(), "close(fd)");
        }
    }
}
