package hmmtest.suite;

import org.junit.jupiter.api.DisplayName;

/** {@code FIXTURE_VARIANT_ADD(hmm, hmm_device_private)}: device 0 (DEVICE_PRIVATE). */
@DisplayName("hmm.hmm_device_private")
class HmmDevicePrivateTest extends Hmm73Tests {
    @Override
    int deviceNumber() {
        return 0;
    }
}
