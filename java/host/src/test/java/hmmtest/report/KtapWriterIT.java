package hmmtest.report;

import hmmtest.it.Kernels;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link KtapWriterTest} with the kernel's own kunit_parser.py at hand (it comes with the source
 * trees the builds unpack), so the KTAP checks run on a cold cache too instead of SKIPping.
 */
class KtapWriterIT extends KtapWriterTest {
    @BeforeAll
    static void unpackTheTrees() {
        Kernels.ensureBothGenerations();
    }
}
