package hmmtest.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code depends on} lines of every Kconfig symbol in a source tree, including the
 * conditions of enclosing {@code if} blocks and {@code menu ... depends on}. Used only to
 * explain why olddefconfig dropped a requested symbol, so a light scanner is enough.
 */
public final class KconfigIndex {
    private static final Pattern CONFIG = Pattern.compile("^\\s*(?:menu)?config\\s+([A-Za-z0-9_]+)\\s*$");
    private static final Pattern DEPENDS = Pattern.compile("^\\s*depends\\s+on\\s+(.+?)\\s*(?:#.*)?$");
    private static final Pattern IF = Pattern.compile("^if\\s+(.+?)\\s*(?:#.*)?$");
    private static final Pattern ENDIF = Pattern.compile("^endif\\b.*");
    private static final Pattern SYMBOL = Pattern.compile("\\b([A-Z][A-Z0-9_]*)\\b");

    private final Map<String, List<String>> dependsOn = new HashMap<>();

    public static KconfigIndex scan(Path sourceTree) {
        KconfigIndex index = new KconfigIndex();
        try (Stream<Path> files = Files.walk(sourceTree)) {
            files.filter(p -> p.getFileName().toString().startsWith("Kconfig"))
                    // Kconfig's own test cases define FOO, A, B...: not this kernel's symbols
                    .filter(p -> !p.toString().contains("/tools/") && !p.toString().contains("/Documentation/")
                            && !p.toString().contains("/scripts/kconfig/tests/"))
                    .forEach(index::scanFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return index;
    }

    private void scanFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            return;
        }
        List<String> joined = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String raw : lines) {
            if (raw.endsWith("\\")) {
                pending.append(raw, 0, raw.length() - 1).append(' ');
                continue;
            }
            joined.add(pending.append(raw).toString());
            pending.setLength(0);
        }
        List<String> ifStack = new ArrayList<>();
        String current = null;
        for (String line : joined) {
            Matcher m;
            if ((m = IF.matcher(line)).matches()) {
                ifStack.add(m.group(1));
                current = null;
            } else if (ENDIF.matcher(line).matches()) {
                if (!ifStack.isEmpty()) {
                    ifStack.remove(ifStack.size() - 1);
                }
                current = null;
            } else if ((m = CONFIG.matcher(line)).matches()) {
                current = m.group(1);
                List<String> deps = dependsOn.computeIfAbsent(current, k -> new ArrayList<>());
                for (String cond : ifStack) {
                    if (!deps.contains(cond)) {
                        deps.add(cond);
                    }
                }
            } else if (current != null && (m = DEPENDS.matcher(line)).matches()) {
                List<String> deps = dependsOn.get(current);
                if (!deps.contains(m.group(1))) {
                    deps.add(m.group(1));
                }
            } else if (line.matches("^(choice|endchoice|menu|endmenu|comment|source)\\b.*")) {
                current = null;
            }
        }
    }

    public boolean exists(String symbol) {
        return dependsOn.containsKey(stripPrefix(symbol));
    }

    /** The dependency expressions of a symbol (without CONFIG_ prefix on input or output). */
    public List<String> dependencies(String symbol) {
        return dependsOn.getOrDefault(stripPrefix(symbol), List.of());
    }

    /**
     * Explains a dropped symbol: each dependency expression with the current value of every
     * symbol in it, keeping only expressions that mention a symbol that is not enabled.
     */
    public String explain(String symbol, Map<String, String> dotConfig) {
        String sym = stripPrefix(symbol);
        if (!exists(sym)) {
            return "unknown symbol: CONFIG_" + sym + " does not exist in this kernel's Kconfig";
        }
        List<String> unmet = new ArrayList<>();
        for (String expr : dependencies(sym)) {
            if (KconfigExpr.eval(expr, dotConfig) == 0) {
                unmet.add(annotate(expr.replaceAll("\\s+", " "), dotConfig));
            }
        }
        return unmet.isEmpty()
                ? "its dependencies are met; a 'select', a 'choice' or a range may override it"
                : "unmet dependency: depends on " + String.join("; depends on ", unmet);
    }

    /** "A && !B" becomes "A (=y) && !B (=y)": every symbol with its current value. */
    private static String annotate(String expr, Map<String, String> dotConfig) {
        StringBuilder out = new StringBuilder();
        Matcher m = SYMBOL.matcher(expr);
        int last = 0;
        while (m.find()) {
            String dep = m.group(1);
            out.append(expr, last, m.end()).append(" (=").append(dotConfig.getOrDefault("CONFIG_" + dep, "n")).append(")");
            last = m.end();
        }
        return out.append(expr.substring(last)).toString();
    }

    private static String stripPrefix(String s) {
        return s.startsWith("CONFIG_") ? s.substring(7) : s;
    }
}
