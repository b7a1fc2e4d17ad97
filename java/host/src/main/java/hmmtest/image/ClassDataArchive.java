package hmmtest.image;

import hmmtest.infra.Exec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The guest harness's class-data archive (AppCDS): the JUnit, JNA and harness classes the guest
 * JVM loads before the first test, parsed, verified and laid out once on the host, so the guest
 * maps them instead. Under TCG this takes about a third off the time from JVM start to the first
 * test (JUnit discovery is mostly class loading and lambda linking).
 *
 * <p>A JDK 17 archive is only used with the very paths, sizes and modification times it was made
 * with, so the training run sees the guest's layout: the files are staged with the image's
 * timestamps and mounted at {@code /opt/...} in a private mount namespace ({@code unshare}). Where
 * that is not allowed (no root, no user namespaces) the image goes without and the guest is just
 * slower to start.
 */
final class ClassDataArchive {
    /** Where the archive sits in the image; init passes it to the JVM when it exists. */
    static final String IMAGE_PATH = "opt/hmmtest/app.jsa";

    private ClassDataArchive() {}

    /**
     * Runs the guest harness's training mode on the host with the guest's paths and returns the
     * archive, or empty (with the reason in {@code log}) if it could not be made.
     *
     * @param jre the JRE that goes into the image (with its base archive)
     * @param optFiles image path (under {@code opt/hmmtest/} or {@code opt/jna/}) to host file
     * @param jvmArgs the guest JVM's arguments, as init passes them
     * @param classpath the guest classpath, as init passes it
     * @param work an empty scratch directory
     */
    static Optional<Path> build(Path jre, Map<String, Path> optFiles, List<String> jvmArgs, String classpath,
            Path work, Path log) throws IOException {
        Path stage = work.resolve("opt");
        for (Map.Entry<String, Path> f : optFiles.entrySet()) {
            Path target = work.resolve(f.getKey());
            Files.createDirectories(target.getParent());
            Files.copy(f.getValue(), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            Files.setLastModifiedTime(target, FileTime.fromMillis(0)); // the image's cpio times
        }
        String archive = "/" + IMAGE_PATH;
        List<String> java = new ArrayList<>(List.of("/opt/jre/bin/java"));
        java.addAll(jvmArgs);
        java.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-cp", classpath, "hmmtest.guest.GuestMain",
                "--mode", "cds-training"));
        String script = "set -e\n"
                + "mount -t tmpfs hmmtest-opt /opt\n"
                + "mkdir -p /opt/jre /opt/hmmtest /opt/jna\n"
                + "mount --bind \"$1\" /opt/jre\n"
                + "mount --bind \"$2/hmmtest\" /opt/hmmtest\n"
                + "mount --bind \"$2/jna\" /opt/jna\n"
                + "shift 2\n"
                + "exec \"$@\"\n";
        List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private"));
        if (!"root".equals(System.getProperty("user.name"))) {
            cmd.add(1, "--map-root-user");
        }
        cmd.addAll(List.of("sh", "-c", script, "hmmtest-cds", jre.toString(), stage.toString()));
        cmd.addAll(java);
        Files.createDirectories(stage.resolve("hmmtest"));
        Files.createDirectories(stage.resolve("jna"));
        Exec.Result r = Exec.run(cmd, work, log, Map.of());
        Path out = work.resolve(IMAGE_PATH);
        if (r.exitCode() != 0 || !Files.isRegularFile(out)) {
            return Optional.empty();
        }
        return Optional.of(out);
    }
}
