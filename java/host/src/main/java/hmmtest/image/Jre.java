package hmmtest.image;

import hmmtest.infra.CacheDir;
import hmmtest.infra.Exec;
import hmmtest.infra.ExitCode;
import hmmtest.infra.Hashing;
import hmmtest.infra.Progress;
import java.nio.file.Path;
import java.util.List;

/** A jlink'd runtime made from the JDK that runs the harness, cached by JDK and module list. */
public final class Jre {
    /**
     * JNA needs jdk.unsupported; the JUnit launcher uses java.logging and scans jars through
     * jdk.zipfs; its XML reporting needs java.xml.
     */
    static final List<String> MODULES = List.of("java.base", "java.logging", "java.xml", "jdk.unsupported",
            "java.management", "jdk.zipfs");

    private Jre() {}

    public static Path build(CacheDir cache) {
        Path javaHome = Path.of(System.getProperty("java.home"));
        String key = new Hashing.Key()
                .add("javaHome", javaHome)
                .add("version", System.getProperty("java.vm.version"))
                .add("modules", MODULES)
                .add("cds", "base archive by -Xshare:dump")
                .hex().substring(0, 12);
        Path entry = cache.dir("jre").resolve("jre-" + System.getProperty("java.specification.version") + "-" + key);
        CacheDir.sweepTemporaries(entry.getParent());
        return CacheDir.publish(entry, tmp -> {
            try (Progress.Phase p = Progress.start("image", "jlink a JRE from " + javaHome)) {
                Path jlink = javaHome.resolve("bin/jlink");
                Path out = tmp.resolve("jre");
                Exec.check(List.of(jlink.toString(), "--add-modules", String.join(",", MODULES), "--strip-debug",
                        "--no-header-files", "--no-man-pages", "--output", out.toString()), null,
                        tmp.resolve("jlink.log"), ExitCode.BUILD_FAILED, "jlink (is " + javaHome + " a full JDK?)");
                // The JDK's class-data archive (lib/server/classes.jsa), which jlink leaves out: the
                // guest JVM maps it instead of parsing its JDK classes (and ClassDataArchive builds the
                // guest's application archive on top of it).
                Exec.check(List.of(out.resolve("bin/java").toString(), "-Xshare:dump"), null,
                        tmp.resolve("cds-dump.log"), ExitCode.BUILD_FAILED, "java -Xshare:dump of the jlink'd JRE");
            }
        }).resolve("jre");
    }
}
