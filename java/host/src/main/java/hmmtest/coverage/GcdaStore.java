package hmmtest.coverage;

import hmmtest.protocol.ResultRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** Where a VM's gcov counters land as they arrive: {@code <vm dir>/gcov/<their debugfs path>}. */
public final class GcdaStore {
    public static final String DIR = "gcov";

    private GcdaStore() {}

    /** Stores a {@code gcda} record; a path that would leave the VM's directory is refused. */
    public static void write(Path vmDir, ResultRecord r) {
        Path root = vmDir.resolve(DIR).toAbsolutePath().normalize();
        Path target = root.resolve(r.field(0)).normalize();
        if (!target.startsWith(root) || !target.getFileName().toString().endsWith(".gcda")) {
            throw new IllegalArgumentException("gcda record with a bad path: " + r.field(0));
        }
        try {
            Files.createDirectories(target.getParent());
            // a fuzz VM sends its counters every minute: the newest replaces the last whole
            Path tmp = Files.createTempFile(target.getParent(), ".gcda", ".part");
            Files.write(tmp, Base64.getDecoder().decode(r.field(1)));
            Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
