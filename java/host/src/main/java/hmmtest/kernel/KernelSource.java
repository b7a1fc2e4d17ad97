package hmmtest.kernel;

import hmmtest.debian.DebianArchive.Deb;
import hmmtest.infra.CacheDir;
import hmmtest.infra.Exec;
import hmmtest.infra.ExitCode;
import hmmtest.infra.HarnessException;
import hmmtest.infra.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Unpacks a linux-source .deb into a read-only source tree in the cache (built out of tree). */
public final class KernelSource {
    private KernelSource() {}

    public static Path unpack(CacheDir cache, Deb deb) {
        Path entry = cache.dir("src").resolve(deb.name() + "_" + deb.version().replace(':', '%'));
        if (Files.isRegularFile(entry.resolve("Makefile"))) {
            return entry;
        }
        CacheDir.sweepTemporaries(entry.getParent());
        return CacheDir.publish(entry, tmp -> {
            try (Progress.Phase p = Progress.start("kernel", "unpack " + deb.name() + " " + deb.version())) {
                Path log = tmp.resolve(".unpack.log");
                Path debDir = tmp.resolve(".deb");
                Exec.check(List.of("dpkg-deb", "-x", deb.file().toString(), debDir.toString()), null, log,
                        ExitCode.INCOMPLETE, "dpkg-deb -x " + deb.file());
                Path tarball = findTarball(debDir.resolve("usr/src"));
                Exec.check(List.of("tar", "-xf", tarball.toString(), "-C", tmp.toString(), "--strip-components=1"),
                        null, log, ExitCode.INCOMPLETE, "tar -xf " + tarball.getFileName());
                CacheDir.deleteQuietly(debDir);
                Files.deleteIfExists(log);
                if (!Files.isRegularFile(tmp.resolve("Makefile"))) {
                    p.fail();
                    throw new HarnessException(ExitCode.INCOMPLETE, deb.file() + " holds no kernel tree");
                }
            }
        });
    }

    private static Path findTarball(Path usrSrc) throws IOException {
        try (Stream<Path> s = Files.list(usrSrc)) {
            return s.filter(p -> p.getFileName().toString().matches("linux-source-.*\\.tar\\.(xz|gz|bz2)"))
                    .findFirst()
                    .orElseThrow(() -> new HarnessException(ExitCode.INCOMPLETE, "no linux-source tarball in " + usrSrc));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
