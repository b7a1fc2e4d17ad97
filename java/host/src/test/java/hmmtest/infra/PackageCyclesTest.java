package hmmtest.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of the three modules depend on each other in one direction (series -> kernel ->
 * image -> vm -> session -> pipeline -> report, with cli on top): a cycle is a boundary that no
 * longer matches the data flow. Dependencies are read from the sources: imports and fully
 * qualified names outside string literals.
 */
class PackageCyclesTest {
    private static final Pattern REF = Pattern.compile("\\bhmmtest\\.([a-z]+(?:\\.[a-z]+)*)\\.[A-Z]");
    /** Char literals (a '"' would pair quotes wrongly), text blocks and string literals: class names there are for other processes (java -cp ... Main). */
    private static final Pattern STRINGS = Pattern.compile("'(?:\\\\.|[^'\\\\])'|\"\"\"(?s:.*?)\"\"\"|\"(?:\\\\.|[^\"\\\\\n])*\"");

    static Map<String, Set<String>> dependencies(Path javaRoot) throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        for (String module : List.of("common", "guest", "host")) {
            Path src = javaRoot.resolve(module).resolve("src/main/java");
            try (Stream<Path> files = Files.walk(src)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String pkg = src.relativize(f.getParent()).toString().replace('/', '.');
                    Set<String> out = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
                    Matcher m = REF.matcher(STRINGS.matcher(Files.readString(f)).replaceAll("\"\""));
                    while (m.find()) {
                        String target = "hmmtest." + m.group(1);
                        if (!target.equals(pkg)) {
                            out.add(target);
                        }
                    }
                }
            }
        }
        return deps;
    }

    /** Strongly connected components with more than one package (Tarjan). */
    static List<Set<String>> cycles(Map<String, Set<String>> deps) {
        List<Set<String>> found = new ArrayList<>();
        Map<String, Integer> index = new TreeMap<>();
        Map<String, Integer> low = new TreeMap<>();
        List<String> stack = new ArrayList<>();
        int[] counter = {0};
        for (String v : deps.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, deps, index, low, stack, counter, found);
            }
        }
        return found;
    }

    private static void connect(String v, Map<String, Set<String>> deps, Map<String, Integer> index,
            Map<String, Integer> low, List<String> stack, int[] counter, List<Set<String>> found) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.add(v);
        for (String w : deps.getOrDefault(v, Set.of())) {
            if (!deps.containsKey(w)) {
                continue;
            }
            if (!index.containsKey(w)) {
                connect(w, deps, index, low, stack, counter, found);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (stack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> scc = new TreeSet<>();
            String w;
            do {
                w = stack.remove(stack.size() - 1);
                scc.add(w);
            } while (!w.equals(v));
            if (scc.size() > 1) {
                found.add(scc);
            }
        }
    }

    @Test
    void noTwoPackagesDependOnEachOther() throws IOException {
        Map<String, Set<String>> deps = dependencies(Project.root().resolve("java"));
        assertThat(deps).containsKeys("hmmtest.session", "hmmtest.pipeline", "hmmtest.report", "hmmtest.uapi");
        assertThat(cycles(deps)).as("package cycles").isEmpty();
    }

    @Test
    void theCycleFinderFindsACycle() {
        Map<String, Set<String>> deps = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertThat(cycles(new TreeMap<>(deps))).containsExactly(new TreeSet<>(Set.of("a", "b", "c")));
    }
}
