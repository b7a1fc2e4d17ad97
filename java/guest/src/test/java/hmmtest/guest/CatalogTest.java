package hmmtest.guest;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.protocol.TestSelection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The build writes the catalog of every test into the guest jar (CatalogWriter, process-classes). */
class CatalogTest {

    @Test
    void theGuestJarCarriesTheCatalogOfEveryTest() {
        List<String> catalog = TestSelection.catalog();
        assertThat(catalog).contains("hmm.hmm_device_private.anon_read", "crashprobe.panic", "upstream.hmm_tests")
                .doesNotHaveDuplicates();
        assertThat(catalog.size()).isGreaterThan(100);
    }
}
