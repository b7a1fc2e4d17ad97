package hmmtest.suite;

import org.junit.jupiter.api.DisplayName;

/** {@code FIXTURE_VARIANT_ADD(hmm2, hmm2_device_coherent)}: devices 2 and 3 (DEVICE_COHERENT). */
@DisplayName("hmm2.hmm2_device_coherent")
class Hmm2DeviceCoherentTest extends Hmm2Tests {
    @Override
    int deviceNumber0() {
        return 2;
    }

    @Override
    int deviceNumber1() {
        return 3;
    }
}
