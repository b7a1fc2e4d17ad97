package hmmtest.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kconfig fragment: requested symbol values in order. Lines are {@code CONFIG_X=value} with an
 * optional {@code # reason}, or {@code # CONFIG_X is not set}; {@code ##} lines are headers.
 * "Not set" is stored as "n". A {@code ##make: VAR=value} line is a make variable for the build
 * (what Kconfig cannot say: e.g. {@code GCOV_PROFILE_hmm.o=y}, gcov for one file).
 */
public record KconfigFragment(String name, Map<String, String> values, Map<String, String> makeVars) {
    private static final Pattern MAKE_VAR = Pattern.compile("^##make:\\s*([A-Za-z0-9_.]+)=(\\S+)\\s*$");
    private static final Pattern SET = Pattern.compile("^(CONFIG_[A-Za-z0-9_]+)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S+)\\s*(?:#.*)?$");
    /** What Kconfig writes: bool/tristate, int, hex, or a quoted string. */
    private static final Pattern VALUE = Pattern.compile("[ymn]|-?[0-9]+|0[xX][0-9a-fA-F]+|\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern UNSET = Pattern.compile("^#\\s*(CONFIG_[A-Za-z0-9_]+) is not set\\s*(?:#.*)?$");

    public KconfigFragment {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        makeVars = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(makeVars));
    }

    public KconfigFragment(String name, Map<String, String> values) {
        this(name, values, Map.of());
    }

    public static KconfigFragment parse(String name, String text) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> makeVars = new LinkedHashMap<>();
        int lineNo = 0;
        for (String raw : text.split("\n")) {
            lineNo++;
            String line = raw.strip();
            Matcher mv = MAKE_VAR.matcher(line);
            if (mv.matches()) {
                makeVars.put(mv.group(1), mv.group(2));
                continue;
            }
            if (line.isEmpty() || line.startsWith("##")) {
                continue;
            }
            Matcher m = SET.matcher(line);
            Matcher u = UNSET.matcher(line);
            if (m.matches()) {
                if (!VALUE.matcher(m.group(2)).matches()) {
                    throw new IllegalArgumentException(name + ":" + lineNo + ": " + m.group(1) + "=" + m.group(2)
                            + ": a Kconfig value is y, m, n, a number, 0x<hex> or a \"quoted string\"");
                }
                values.put(m.group(1), m.group(2));
            } else if (u.matches()) {
                values.put(u.group(1), "n");
            } else if (!line.startsWith("#")) {
                throw new IllegalArgumentException(name + ":" + lineNo + ": not a Kconfig line: " + raw);
            }
        }
        return new KconfigFragment(name, values, makeVars);
    }

    public static KconfigFragment read(Path file) {
        try {
            return parse(file.getFileName().toString(), Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Later fragments override earlier ones, symbol by symbol. */
    public KconfigFragment merge(KconfigFragment other) {
        Map<String, String> merged = new LinkedHashMap<>(values);
        merged.putAll(other.values);
        Map<String, String> vars = new LinkedHashMap<>(makeVars);
        vars.putAll(other.makeVars);
        return new KconfigFragment(name + "+" + other.name, merged, vars);
    }

    /** The fragment as merge_config.sh input. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(v.equals("n") ? "# " + k + " is not set" : k + "=" + v).append('\n'));
        // a comment to Kconfig, and part of the build key (the render is hashed): only when there are any
        makeVars.forEach((k, v) -> sb.append("##make: ").append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    /** The make variables as make's command-line arguments. */
    public java.util.List<String> makeArgs() {
        return makeVars.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    /** Reads a .config into symbol values ("n" for "is not set"). */
    public static Map<String, String> readDotConfig(Path dotConfig) {
        try {
            return parse(".config", Files.readString(dotConfig)).values();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
