package hmmtest.report;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The results directories under src/test/resources/report, as a validate command would pass them. */
final class Fixtures {
    static final String REPRODUCE = "hmmtest validate --base linux-source-7.3 --series v3-exclusive-folio.mbox";

    private Fixtures() {}

    static Path dir(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/report/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static RunReport run(String name) {
        return RunReport.read(dir(name));
    }

    /** The first name is the base. */
    static RunSet withBase(String... names) {
        return RunSet.of(java.util.Arrays.stream(names).map(Fixtures::run).toList(), Optional.of(0));
    }

    static RunSet withoutBase(String... names) {
        return RunSet.of(List.of(names).stream().map(Fixtures::run).toList(), Optional.empty());
    }
}
