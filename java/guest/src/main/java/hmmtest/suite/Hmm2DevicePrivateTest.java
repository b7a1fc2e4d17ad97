package hmmtest.suite;

import org.junit.jupiter.api.DisplayName;

/** {@code FIXTURE_VARIANT_ADD(hmm2, hmm2_device_private)}: devices 0 and 1 (DEVICE_PRIVATE). */
@DisplayName("hmm2.hmm2_device_private")
class Hmm2DevicePrivateTest extends Hmm2Tests {
    @Override
    int deviceNumber0() {
        return 0;
    }

    @Override
    int deviceNumber1() {
        return 1;
    }
}
