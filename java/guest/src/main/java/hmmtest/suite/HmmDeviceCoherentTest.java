package hmmtest.suite;

import org.junit.jupiter.api.DisplayName;

/** {@code FIXTURE_VARIANT_ADD(hmm, hmm_device_coherent)}: device 2 (DEVICE_COHERENT). */
@DisplayName("hmm.hmm_device_coherent")
class HmmDeviceCoherentTest extends Hmm73Tests {
    @Override
    int deviceNumber() {
        return 2;
    }
}
