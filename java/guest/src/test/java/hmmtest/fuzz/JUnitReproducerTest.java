package hmmtest.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import hmmtest.model.Action;
import hmmtest.model.Layout;
import hmmtest.model.ModelOptions;
import hmmtest.repro.Reproducers;
import hmmtest.uapi.AbiVersion;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JUnit reproducer that {@link Reproducers} writes compiles against the guest's classes, where it runs. */
class JUnitReproducerTest {

    static final List<Action> DEVICE_LIST = Reproducers.parseActions("""
            # a comment and a blank line are ignored

            mmap id=1 pages=4 prot=RW kind=ANON_PRIVATE thp=false
            mmap id=2 pages=2 prot=RW kind=FILE_SHARED thp=false
            open fd=0 dev=0
            write map=1 page=0 token=0x1234
            fork map=1 page=1 token=0x99
            ioctl fd=0 cmd=READ map=1 page=0 npages=2
            ioctl fd=0 cmd=WRITE map=1 page=2 npages=2 token=0x500
            ioctl fd=0 cmd=SNAPSHOT map=1 page=0 npages=4
            ioctl fd=0 cmd=MIGRATE_TO_DEV map=1 page=0 npages=1
            ioctl fd=0 cmd=0xc map=1 page=0 byteoff=12 npages=0xffffffffffffffff
            mprotect map=1 page=0 pages=1 prot=R
            madvise map=1 page=3 pages=1 advice=DONTNEED
            mremap map=1 page=2 pages=1 to=3 dontunmap=true
            read map=1 page=0
            munmap map=2 page=0 pages=2
            close fd=0
            """);

    static Reproducers.Subject subject(String name) {
        return new Reproducers.Subject(name, "ioctl READ: faults", AbiVersion.V7_3, ModelOptions.defaults(),
                Layout.DEFAULT_ARENA_BASE, "make fuzz SEED={seed} # then replay {actions}", 42);
    }

    @Test
    void theJUnitSourceCompilesAgainstTheTestClasspath(@TempDir Path dir) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assumeTrue(javac != null, "no system Java compiler");
        Reproducers.Subject s = subject("div-s42-q0-a3");
        String name = Reproducers.javaClassName(s, DEVICE_LIST);
        Path src = dir.resolve(name + ".java");
        Files.writeString(src, Reproducers.junitSource(s, DEVICE_LIST));
        Path out = Files.createDirectories(dir.resolve("classes"));
        StringWriter diag = new StringWriter();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            Iterable<? extends JavaFileObject> units = fm.getJavaFileObjects(src.toFile());
            boolean ok = javac.getTask(diag, fm, null,
                    List.of("-classpath", classpath(), "-d", out.toString(), "-Xlint:all", "-Werror"),
                    null, units).call();
            assertThat(ok).as(diag.toString()).isTrue();
        }
        assertThat(out.resolve("hmmtest/suite/" + name + ".class")).exists();
        String text = Files.readString(src);
        assertThat(text).contains("@DisplayName(\"fuzz.div-s42-q0-a3\")")
                .contains("\"ioctl fd=0 cmd=0xc map=1 page=0 byteoff=12 npages=0xffffffffffffffff\"");
    }

    /** The test JVM's class path, with the entries of a surefire manifest-only jar expanded. */
    static String classpath() throws IOException {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            entries.add(e);
            if (e.endsWith(".jar") && e.contains("surefire")) {
                try (java.util.jar.JarFile jar = new java.util.jar.JarFile(e)) {
                    String cp = jar.getManifest() == null ? null
                            : jar.getManifest().getMainAttributes().getValue("Class-Path");
                    if (cp != null) {
                        for (String u : cp.split(" ")) {
                            entries.add(Path.of(java.net.URI.create(u)).toString());
                        }
                    }
                }
            }
        }
        return entries.stream().collect(Collectors.joining(java.io.File.pathSeparator));
    }
}
