package hmmtest.parity;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The guest device suite as the guest harness names it, found by reflection on the host's test
 * classpath (the host module depends on the guest module): every concrete class of
 * {@code hmmtest.suite} with a {@code @DisplayName}, and its {@code @Test} methods, inherited ones
 * included. A test id is {@code displayName + "." + methodName}, as GuestMain reports it.
 */
final class SuiteIndex {
    static final String SUITE_PACKAGE = "hmmtest.suite";

    /** Display name -> test method names, and where each method is declared. */
    private final TreeMap<String, TreeMap<String, String>> byDisplayName = new TreeMap<>();

    private SuiteIndex() {}

    static SuiteIndex load() {
        SuiteIndex index = new SuiteIndex();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (String className : classNames(loader)) {
            Class<?> c;
            try {
                c = Class.forName(className, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalStateException("cannot load " + className, e);
            }
            DisplayName dn = c.getAnnotation(DisplayName.class);
            if (dn == null || Modifier.isAbstract(c.getModifiers())) {
                continue;
            }
            TreeMap<String, String> methods = index.byDisplayName.computeIfAbsent(dn.value(), k -> new TreeMap<>());
            for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
                for (Method m : k.getDeclaredMethods()) {
                    if (m.isAnnotationPresent(Test.class)) {
                        methods.putIfAbsent(m.getName(), k.getSimpleName() + "#" + m.getName());
                    }
                }
            }
        }
        return index;
    }

    Set<String> displayNames() {
        return byDisplayName.keySet();
    }

    /** "HmmTests#anon_read" for the class with that display name, or null. */
    String counterpart(String displayName, String method) {
        TreeMap<String, String> methods = byDisplayName.get(displayName);
        return methods == null ? null : methods.get(method);
    }

    Set<String> tests(String displayName) {
        TreeMap<String, String> methods = byDisplayName.get(displayName);
        return methods == null ? Set.of() : new TreeSet<>(methods.keySet());
    }

    /** Top-level and nested class names of the suite package, from directories or jars. */
    private static List<String> classNames(ClassLoader loader) {
        String dir = SUITE_PACKAGE.replace('.', '/');
        List<String> names = new ArrayList<>();
        try {
            Enumeration<URL> roots = loader.getResources(dir);
            while (roots.hasMoreElements()) {
                URL url = roots.nextElement();
                if (url.getProtocol().equals("file")) {
                    try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                        files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class"))
                                .forEach(n -> names.add(SUITE_PACKAGE + "." + n.substring(0, n.length() - 6)));
                    }
                } else if (url.getProtocol().equals("jar")) {
                    JarURLConnection conn = (JarURLConnection) url.openConnection();
                    conn.setUseCaches(false);
                    try (JarFile jar = conn.getJarFile()) {
                        for (JarEntry e : java.util.Collections.list(jar.entries())) {
                            String n = e.getName();
                            if (n.startsWith(dir + "/") && n.endsWith(".class") && n.indexOf('/', dir.length() + 1) < 0) {
                                names.add(n.substring(0, n.length() - 6).replace('/', '.'));
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("no classes of " + SUITE_PACKAGE + " on the classpath "
                    + System.getProperty("java.class.path").replace(File.pathSeparator, "\n  "));
        }
        return names;
    }
}
