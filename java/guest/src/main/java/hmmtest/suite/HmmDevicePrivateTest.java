package hmmtest.suite;

import org.junit.jupiter.api.DisplayName;

/** {@code FIXTURE_VARIANT_ADD(hmm, hmm_device_private)}: device 0. */
@DisplayName("hmm.hmm_device_private")
class HmmDevicePrivateTest extends HmmTests {
    @Override
    int deviceNumber() {
        return 0;
    }
}
