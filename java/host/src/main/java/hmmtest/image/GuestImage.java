package hmmtest.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import hmmtest.debian.DebianArchive;
import hmmtest.debian.DebianArchive.Deb;
import hmmtest.infra.CacheDir;
import hmmtest.infra.Exec;
import hmmtest.infra.ExitCode;
import hmmtest.infra.HarnessException;
import hmmtest.infra.Hashing;
import hmmtest.infra.Progress;
import hmmtest.infra.Project;
import hmmtest.kernel.KernelBuild;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * The guest's initramfs: busybox (Debian busybox-static), a jlink'd JRE with the host glibc
 * pieces it needs, test_hmm.ko, the guest harness jars, JNA's native library pre-extracted, and
 * vm-images/init. Cached by the hash of all of these; rebuilt only when one of them changed.
 */
public final class GuestImage {
    /** Bump when the layout below changes. 3: image.json records the image's sha256 (checked before use). */
    static final int RECIPE = 3;

    /**
     * The guest JVM's arguments (init reads them from the image): C1 only and serial GC, since
     * under TCG compile time dominates and one thread runs the tests; compile thresholds ten times
     * the default, so JUnit's start-up code runs interpreted instead of being compiled (and
     * translated again by TCG) for a few hundred calls, while the tests' loops still get compiled
     * (measured: JVM start to JUnit discovered 5.5-6.4 s instead of 10-11 s; -Xint did that too but
     * made the tests themselves ten times slower); the class-data archives mapped where they were
     * laid out (relocating them costs more than it saves under TCG).
     */
    static final List<String> JVM_ARGS = List.of("-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=10",
            "-XX:+UseSerialGC", "-XX:-UsePerfData",
            "-Xss1m", "-Xmx512m", "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0",
            "-Djna.boot.library.path=/opt/jna", "-Djna.nounpack=true", "-Djna.library.path=/opt/hmmtest/native",
            "-Djava.io.tmpdir=/tmp");
    static final String JNA_NATIVE = "com/sun/jna/linux-x86-64/libjnidispatch.so";

    private final CacheDir cache;

    public GuestImage(CacheDir cache) {
        this.cache = cache;
    }

    /** The initramfs for this kernel build and the current guest jars. */
    public Path build(KernelBuild kernel) {
        Deb busybox = new DebianArchive(cache).fetch("busybox-static", "");
        Path jre = Jre.build(cache);
        Path guest = Project.guestJars();
        Path init = Project.vmImages().resolve("init");
        Path nativeLib = Project.nativeLibrary();
        Path readBench = Project.readBenchmark();
        Path executor = Project.fuzzExecutor();
        List<Path> jars = new ArrayList<>();
        jars.add(guest.resolve("hmmtest-guest.jar"));
        try (Stream<Path> s = Files.list(guest.resolve("lib"))) {
            s.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
        } catch (IOException e) {
            throw new HarnessException(ExitCode.BUILD_FAILED, "no guest dependencies in " + guest.resolve("lib"));
        }
        Path jnaJar = jars.stream().filter(p -> p.getFileName().toString().startsWith("jna-")).findFirst()
                .orElseThrow(() -> new HarnessException(ExitCode.BUILD_FAILED, "jna jar missing from " + guest));

        Hashing.Key key = new Hashing.Key()
                .add("recipe", RECIPE)
                .add("init", Hashing.sha256(init))
                .add("busybox", busybox.sha256())
                .add("jre", jre.getParent().getFileName())
                .add("test_hmm.ko", Hashing.sha256(kernel.testHmmModule()))
                .add("native", Hashing.sha256(nativeLib))
                .add("read_bench", Hashing.sha256(readBench))
                .add("hmmfuzz_exec", Hashing.sha256(executor))
                .add("hmm-tests", java.nio.file.Files.isRegularFile(kernel.upstreamSelftest())
                        ? Hashing.sha256(kernel.upstreamSelftest()) : "none");
        for (Path jar : jars) {
            key.add("jar " + jar.getFileName(), Hashing.sha256(jar));
        }
        key.add("jvm", JVM_ARGS);
        Path entry = cache.dir("images").resolve("initramfs-" + key.hex().substring(0, 12));
        Path image = entry.resolve(FILE_NAME);
        if (Files.isRegularFile(image) && intact(entry)) {
            return image;
        }
        CacheDir.sweepTemporaries(entry.getParent());
        CacheDir.publish(entry, tmp -> {
            try (Progress.Phase p = Progress.start("image", "build initramfs")) {
                try {
                    buildInto(tmp, p, kernel, busybox, jre, jars, jnaJar, init, nativeLib, readBench, executor, key, entry);
                } catch (IOException | RuntimeException e) {
                    p.fail(); // "failed", not "done", before the error is told
                    throw e;
                }
            }
        });
        return image;
    }

    private static void buildInto(Path tmp, Progress.Phase p, KernelBuild kernel, Deb busybox, Path jre, List<Path> jars,
            Path jnaJar, Path init, Path nativeLib, Path readBench, Path executor, Hashing.Key key, Path entry)
            throws IOException {
        Path bb = tmp.resolve(".busybox");
        Exec.check(List.of("dpkg-deb", "-x", busybox.file().toString(), bb.toString()), null,
                tmp.resolve(".dpkg.log"), ExitCode.BUILD_FAILED, "dpkg-deb -x busybox-static");
        Path jnaNative = tmp.resolve(".libjnidispatch.so");
        extract(jnaJar, JNA_NATIVE, jnaNative);
        Map<String, Path> files = layout(kernel, jre, jars, bb.resolve("bin/busybox"), jnaNative, init);
        files.put("opt/hmmtest/native/" + nativeLib.getFileName(), nativeLib);
        files.put("opt/hmmtest/native/read_bench", readBench);
        files.put("opt/hmmtest/native/hmmfuzz_exec", executor); // the host engine's executor
        if (Files.isRegularFile(kernel.upstreamSelftest())) {
            files.put("opt/hmmtest/upstream/hmm-tests", kernel.upstreamSelftest());
        }
        String classpath = String.join(":", jars.stream().map(j -> "/opt/hmmtest/lib/" + j.getFileName()).toList());
        Path jvmArgs = Files.writeString(tmp.resolve(".jvm.args"), String.join("\n", JVM_ARGS) + "\n");
        Path cp = Files.writeString(tmp.resolve(".classpath"), classpath + "\n");
        files.put("opt/hmmtest/jvm.args", jvmArgs);
        files.put("opt/hmmtest/classpath", cp);
        Map<String, Path> opt = new TreeMap<>(files);
        opt.keySet().removeIf(k -> !k.startsWith("opt/hmmtest/") && !k.startsWith("opt/jna/"));
        Path cdsWork = tmp.resolve(".cds");
        java.util.Optional<Path> archive = ClassDataArchive.build(jre, opt, JVM_ARGS, classpath, cdsWork,
                tmp.resolve("cds.log"));
        archive.ifPresent(a -> files.put(ClassDataArchive.IMAGE_PATH, a));
        writeCpio(tmp.resolve(FILE_NAME), files);
        CacheDir.deleteQuietly(bb);
        CacheDir.deleteQuietly(cdsWork);
        Files.delete(jnaNative);
        Files.delete(jvmArgs);
        Files.delete(cp);
        Files.deleteIfExists(tmp.resolve(".dpkg.log"));
        p.note(Files.size(tmp.resolve(FILE_NAME)) / (1 << 20) + " MiB, " + files.size() + " files, "
                + (archive.isPresent() ? "with" : "WITHOUT (see " + entry.resolve("cds.log") + ")")
                + " a class-data archive");
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("inputs", key.describe().lines().toList());
        manifest.put("sha256", Hashing.sha256(tmp.resolve(FILE_NAME)));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(tmp.resolve("image.json").toFile(), manifest);
    }

    /**
     * True when the published image still has the sha256 recorded when it was built. One read of
     * the image (about 85 MiB, a fraction of a second) per run, not per VM. A changed or damaged
     * image is said and discarded, so it is built again instead of booted.
     */
    static boolean intact(Path entry) {
        Path image = entry.resolve(FILE_NAME);
        String recorded;
        try {
            recorded = new ObjectMapper().readTree(entry.resolve("image.json").toFile()).path("sha256").asText("");
        } catch (IOException e) {
            recorded = "";
        }
        String found = Hashing.sha256(image);
        if (found.equals(recorded)) {
            return true;
        }
        Progress.always("[image] the cached guest image " + image + " does not match its image.json (changed after it"
                + " was built): sha256 " + found.substring(0, 16) + "..., recorded "
                + (recorded.isEmpty() ? "none" : recorded.substring(0, Math.min(16, recorded.length())) + "...")
                + ". Discarded; building it again.");
        CacheDir.discard(entry);
        return false;
    }

    /**
     * The cached image plus a second archive holding {@code files} (image path -> content), e.g.
     * an action list to replay. The kernel unpacks concatenated cpio archives in order, so the
     * cached image is reused as is and the extra files land on top of it.
     */
    public static Path withExtraFiles(Path base, Map<String, byte[]> files, Path target) throws IOException {
        Files.copy(base, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (OutputStream raw = Files.newOutputStream(target, java.nio.file.StandardOpenOption.APPEND);
                GZIPOutputStream gz = new GZIPOutputStream(raw);
                CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(gz, CpioConstants.FORMAT_NEW)) {
            CpioWriter w = new CpioWriter(cpio);
            for (Map.Entry<String, byte[]> f : new TreeMap<>(files).entrySet()) {
                w.bytes(f.getKey(), f.getValue());
            }
        }
        return target;
    }

    /** Image path -> host file. Directories are implied by the paths. */
    private static Map<String, Path> layout(KernelBuild kernel, Path jre, List<Path> jars, Path busybox,
            Path jnaNative, Path init) throws IOException {
        Map<String, Path> files = new TreeMap<>();
        files.put("init", init);
        files.put("bin/busybox", busybox);
        files.put("lib/modules/test_hmm.ko", kernel.testHmmModule());
        files.put("opt/jna/libjnidispatch.so", jnaNative);
        for (Path jar : jars) {
            files.put("opt/hmmtest/lib/" + jar.getFileName(), jar);
        }
        List<Path> elves = new ArrayList<>(List.of(jnaNative));
        try (Stream<Path> s = Files.walk(jre)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                String rel = jre.relativize(f).toString();
                if (rel.startsWith("legal/")) {
                    continue; // licence texts, often symlinks into /usr/share/doc
                }
                files.put("opt/jre/" + rel, f);
                if (rel.endsWith(".so") || rel.startsWith("bin/")) {
                    elves.add(f);
                }
            }
        }
        java.util.Set<String> provided = new java.util.HashSet<>();
        elves.forEach(e -> provided.add(e.getFileName().toString()));
        for (Path lib : HostLibraries.neededBy(elves, provided)) {
            files.put(lib.toString().substring(1), lib.toRealPath());
        }
        return files;
    }

    private static void extract(Path jar, String name, Path target) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry e = zip.getEntry(name);
            if (e == null) {
                throw new HarnessException(ExitCode.BUILD_FAILED, jar + " has no " + name);
            }
            try (InputStream in = zip.getInputStream(e)) {
                Files.copy(in, target);
            }
        }
    }

    /**
     * Uncompressed on purpose: under TCG the kernel took 2-3 s of the boot to inflate a gzip'd
     * image, and copying the plain archive into the rootfs takes well under one.
     */
    public static final String FILE_NAME = "initramfs.cpio";

    private static void writeCpio(Path target, Map<String, Path> files) throws IOException {
        try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(target), 1 << 20);
                CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(raw, CpioConstants.FORMAT_NEW)) {
            CpioWriter w = new CpioWriter(cpio);
            for (String dir : List.of("dev", "proc", "sys", "tmp", "root", "etc")) {
                w.dir(dir);
            }
            w.charDevice("dev/console", 5, 1);
            w.symlink("bin/sh", "busybox");
            for (Map.Entry<String, Path> f : files.entrySet()) {
                w.file(f.getKey(), f.getValue());
            }
        }
    }

    /** Writes cpio entries, creating parent directories first, with fixed owners and times. */
    private static final class CpioWriter {
        private final CpioArchiveOutputStream cpio;
        private final java.util.Set<String> dirs = new java.util.HashSet<>();
        private long inode = 1;

        CpioWriter(CpioArchiveOutputStream cpio) {
            this.cpio = cpio;
        }

        private CpioArchiveEntry entry(String name, long mode, long size) {
            CpioArchiveEntry e = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, name, size);
            e.setMode(mode);
            e.setInode(inode++);
            e.setNumberOfLinks(1);
            e.setTime(0);
            return e;
        }

        void dir(String name) throws IOException {
            int slash = name.lastIndexOf('/');
            if (slash > 0) {
                dir(name.substring(0, slash));
            }
            if (dirs.add(name)) {
                cpio.putArchiveEntry(entry(name, CpioConstants.C_ISDIR | 0755, 0));
                cpio.closeArchiveEntry();
            }
        }

        private void parent(String name) throws IOException {
            int slash = name.lastIndexOf('/');
            if (slash > 0) {
                dir(name.substring(0, slash));
            }
        }

        void charDevice(String name, int major, int minor) throws IOException {
            parent(name);
            CpioArchiveEntry e = entry(name, CpioConstants.C_ISCHR | 0600, 0);
            e.setRemoteDeviceMaj(major);
            e.setRemoteDeviceMin(minor);
            cpio.putArchiveEntry(e);
            cpio.closeArchiveEntry();
        }

        void symlink(String name, String target) throws IOException {
            parent(name);
            byte[] t = target.getBytes(StandardCharsets.UTF_8);
            cpio.putArchiveEntry(entry(name, CpioConstants.C_ISLNK | 0777, t.length));
            cpio.write(t);
            cpio.closeArchiveEntry();
        }

        void bytes(String name, byte[] content) throws IOException {
            parent(name);
            cpio.putArchiveEntry(entry(name, CpioConstants.C_ISREG | 0644, content.length));
            cpio.write(content);
            cpio.closeArchiveEntry();
        }

        void file(String name, Path source) throws IOException {
            parent(name);
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(source);
            boolean exec = perms.contains(PosixFilePermission.OWNER_EXECUTE) || name.equals("init")
                    || name.equals("bin/busybox");
            cpio.putArchiveEntry(entry(name, CpioConstants.C_ISREG | (exec ? 0755 : 0644), Files.size(source)));
            Files.copy(source, cpio);
            cpio.closeArchiveEntry();
        }
    }
}
