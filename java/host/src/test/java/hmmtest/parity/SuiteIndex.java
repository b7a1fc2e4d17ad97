package hmmtest.parity;

import hmmtest.infra.Project;
import hmmtest.protocol.TestSelection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The guest device suite as the guest harness names it: the test catalog the guest build writes
 * into the guest jar ({@link TestSelection#CATALOG}), the same list the host checks selections
 * against. A test id is {@code displayName + "." + methodName}, as GuestMain reports it.
 */
final class SuiteIndex {

    /** Display name -> test method names. */
    private final TreeMap<String, TreeSet<String>> byDisplayName = new TreeMap<>();

    private SuiteIndex() {}

    static SuiteIndex load() {
        Path jar = Project.root().resolve("java/guest/target/hmmtest-guest.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " missing: the guest module is built before the host's tests run");
        }
        List<String> catalog = TestSelection.catalog(jar);
        if (catalog.isEmpty()) {
            throw new IllegalStateException(jar + " has no " + TestSelection.CATALOG);
        }
        SuiteIndex index = new SuiteIndex();
        for (String id : catalog) {
            int dot = id.lastIndexOf('.');
            index.byDisplayName.computeIfAbsent(id.substring(0, dot), k -> new TreeSet<>()).add(id.substring(dot + 1));
        }
        return index;
    }

    Set<String> displayNames() {
        return byDisplayName.keySet();
    }

    /** The suite's test id for that display name and method, or null. */
    String counterpart(String displayName, String method) {
        TreeSet<String> methods = byDisplayName.get(displayName);
        return methods != null && methods.contains(method) ? displayName + "." + method : null;
    }

    Set<String> tests(String displayName) {
        TreeSet<String> methods = byDisplayName.get(displayName);
        return methods == null ? Set.of() : new TreeSet<>(methods);
    }
}
