package hmmtest.guest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Run by the guest module's build (exec-maven-plugin, process-classes): writes every test id,
 * probes included, in plan order, to the file named by its argument (TestSelection.CATALOG in
 * the jar). The host checks a selection against it before anything is built or booted.
 * Discovery only: no test class is initialised, no device touched.
 */
public final class CatalogWriter {
    private CatalogWriter() {}

    public static void main(String[] args) throws IOException {
        GuestMain.Discovered d = GuestMain.discover(List.of(GuestMain.PROBE_PREFIX + "*", "*"), List.of());
        List<String> ids = GuestMain.inOrder(d.plan()).stream()
                .map(t -> ResultStreamListener.testId(d.plan(), t)).toList();
        Path out = Path.of(args[0]);
        Files.createDirectories(out.getParent());
        Files.write(out, ids);
    }
}
