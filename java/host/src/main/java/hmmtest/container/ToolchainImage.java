package hmmtest.container;

import hmmtest.debian.AptSources;
import hmmtest.infra.CacheDir;
import hmmtest.infra.Exec;
import hmmtest.infra.ExitCode;
import hmmtest.infra.HarnessException;
import hmmtest.infra.Hashing;
import hmmtest.infra.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * The toolchain image: Debian bookworm with exactly the packages of {@code container/packages},
 * made by {@code container/build-image} (debootstrap + docker import; no registry). Its tag is a
 * hash of those two files, so it is rebuilt only when they change; {@code hmmtest/toolchain:latest}
 * is moved to the image in use (Testcontainers' tiny image, see {@link TestcontainersEnv}).
 */
public final class ToolchainImage {
    public static final String REPOSITORY = "hmmtest/toolchain";
    public static final String LATEST = REPOSITORY + ":latest";
    static final List<String> RECIPE = List.of("packages", "build-image");

    /** A built image and what identifies its toolchain: the tag and the hash of its installed packages. */
    public record Image(String tag, String debs) {
        /** The value of HMMTEST_TOOLCHAIN inside the container; it goes into every kernel's cache key. */
        public String toolchain() {
            return "container:" + tag + " debs:" + debs.substring(0, Math.min(12, debs.length()));
        }
    }

    private ToolchainImage() {}

    /** hmmtest/toolchain:&lt;first 12 hex of sha256 over container/packages and container/build-image&gt;. */
    public static String tag(Path checkout) {
        Hashing.Key k = new Hashing.Key();
        for (String f : RECIPE) {
            Path p = checkout.resolve("container").resolve(f);
            if (!Files.isRegularFile(p)) {
                throw new HarnessException(ExitCode.USAGE, "container recipe missing: " + p);
            }
            k.add(f, Hashing.sha256(p));
        }
        return REPOSITORY + ":" + k.hex().substring(0, 12);
    }

    /** Returns the image, building it first (minutes, once per recipe) if the engine does not have it. */
    public static Image ensure(Path checkout, CacheDir cache) {
        String tag = tag(checkout);
        String debs = debsLabel(tag);
        if (debs == null) {
            Path lockFile = cache.dir("container").resolve("image.lock");
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = ch.lock()) {
                debs = debsLabel(tag); // another run may have built it while we waited
                if (debs == null) {
                    build(checkout, tag, cache.dir("logs").resolve("container-image-" + tag.substring(tag.indexOf(':') + 1)
                            + ".log"));
                    debs = debsLabel(tag);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (debs == null) {
                throw new HarnessException(ExitCode.BUILD_FAILED, "built " + tag + " but it carries no hmmtest.debs label");
            }
        }
        docker(List.of("tag", tag, LATEST), "docker tag " + tag + " " + LATEST);
        return new Image(tag, debs);
    }

    private static void build(Path checkout, String tag, Path log) throws IOException {
        String mirror = mirror(Path.of("/etc/apt"));
        Files.deleteIfExists(log);
        try (Progress.Phase p = Progress.start("container", "build toolchain image " + tag
                + " (debootstrap bookworm from " + mirror + ")")) {
            Exec.Result r = Exec.run(List.of(checkout.resolve("container/build-image").toString(), tag, mirror),
                    checkout, log, Map.of());
            if (r.exitCode() != 0) {
                p.fail();
                ExitCode code = r.exitCode() == ExitCode.MISSING_HOST_TOOLS.code
                        ? ExitCode.MISSING_HOST_TOOLS : ExitCode.BUILD_FAILED;
                throw new HarnessException(code, "container/build-image failed (exit " + r.exitCode() + "), log: "
                        + log + "\n" + r.tail(15));
            }
        }
    }

    /** The mirror serving the machine's release suite, from its own apt configuration. */
    static String mirror(Path etcApt) throws IOException {
        return AptSources.readMachine(etcApt).stream()
                .filter(e -> !e.suite().contains("-") && !e.suite().contains("/"))
                .map(AptSources.Entry::uri)
                .filter(u -> u.startsWith("http://") || u.startsWith("https://"))
                .findFirst()
                .orElseThrow(() -> new HarnessException(ExitCode.MISSING_HOST_TOOLS, "no Debian mirror for a release"
                        + " suite in " + etcApt + " (sources.list or sources.list.d): the container image is built"
                        + " from the machine's own mirror"));
    }

    /** The image's hmmtest.debs label, or null when the engine has no such image. */
    static String debsLabel(String tag) {
        String out = Exec.capture(List.of("docker", "image", "inspect", "--format",
                "{{index .Config.Labels \"hmmtest.debs\"}}", tag));
        return out == null || out.isBlank() || out.trim().equals("<no value>") ? null : out.trim();
    }

    static void docker(List<String> args, String what) {
        List<String> cmd = new java.util.ArrayList<>(List.of("docker"));
        cmd.addAll(args);
        if (Exec.capture(cmd) == null) {
            throw new HarnessException(ExitCode.INCOMPLETE, what + " failed");
        }
    }
}
