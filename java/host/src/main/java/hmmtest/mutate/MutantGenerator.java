package hmmtest.mutate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mutants of a file's changed lines, by the classic operators of mutation testing for C:
 * relational and arithmetic operator swaps, constants off by one, negated conditions, deleted
 * calls and assignments, changed return values and errno, swapped arguments. Lines that are not
 * code (comments, preprocessor, braces, declarations without a value) get none. A mutant whose
 * line reads the same as the original is equivalent by construction and never made.
 */
public final class MutantGenerator {
    private MutantGenerator() {}

    private static final Map<String, String> RELATIONAL = Map.of(">=", ">", "<=", "<", ">", ">=", "<", "<=", "==", "!=",
            "!=", "==");
    private static final Map<String, String> ERRNO = Map.of("-EINVAL", "-EFAULT", "-EFAULT", "-EINVAL", "-ENOMEM",
            "-EINVAL", "-EBUSY", "-EINVAL", "-EPERM", "-EINVAL", "-ENOENT", "-EINVAL", "-EOPNOTSUPP", "-EINVAL");
    private static final Pattern INT = Pattern.compile("(?<![A-Za-z0-9_.])(\\d+)(?![A-Za-z0-9_.xX])");
    private static final Pattern IF = Pattern.compile("^(\\s*(?:\\}\\s*else\\s+)?(?:if|while)\\s*)\\((.*)\\)(\\s*\\{?\\s*)$");
    private static final Pattern RETURN = Pattern.compile("^(\\s*return\\s+)(.+);(\\s*)$");
    private static final Pattern CALL_OR_ASSIGN = Pattern.compile("^\\s*(?:[A-Za-z_][A-Za-z0-9_>.\\[\\]-]*\\s*(?:[-+*/|&]?=[^=]|\\()).*;\\s*$");
    private static final Pattern TWO_ARGS = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\(([^(),]+),\\s*([^(),]+)\\)");

    /** Mutants of {@code lines} (1-based) of {@code source}, numbered from {@code firstId}. */
    public static List<Mutant> of(String file, List<String> source, TreeSet<Integer> lines, int firstId) {
        List<Mutant> out = new ArrayList<>();
        for (int n : lines) {
            if (n < 1 || n > source.size()) {
                continue;
            }
            String line = source.get(n - 1);
            List<String[]> made = new ArrayList<>();
            for (String[] m : mutations(line)) {
                if (!m[1].equals(line) && made.stream().noneMatch(x -> x[1].equals(m[1]))) {
                    made.add(m);
                }
            }
            for (String[] m : made) {
                out.add(new Mutant(firstId + out.size(), file, n, m[0], line, m[1]));
            }
        }
        return out;
    }

    /** [operator description, mutated line] for every mutation of one line. */
    static List<String[]> mutations(String line) {
        List<String[]> out = new ArrayList<>();
        String code = line.strip();
        if (code.isEmpty() || code.startsWith("//") || code.startsWith("/*") || code.startsWith("*") || code.startsWith("#")
                || code.matches("[{}();]*") || code.startsWith("static ") || code.startsWith("case ")
                || code.equals("break;") || code.equals("default:")) {
            return out;
        }
        // relational: each occurrence of each operator, one at a time (not in ->, <<, >>, <<=, >>=)
        Matcher rel = Pattern.compile("(?<![<>=!-])(>=|<=|==|!=|>|<)(?![<>=])").matcher(line);
        while (rel.find()) {
            String op = rel.group(1);
            out.add(new String[] {"relational " + op + " -> " + RELATIONAL.get(op),
                    line.substring(0, rel.start()) + RELATIONAL.get(op) + line.substring(rel.end())});
        }
        // arithmetic and shifts: binary + and - (not ++, --, ->, +=, or a sign), << and >>
        Matcher ar = Pattern.compile("(?<=[A-Za-z0-9_)\\]]\\s?)(<<|>>|\\+|-)(?![+\\->=])").matcher(line);
        while (ar.find()) {
            String op = ar.group(1);
            String to = switch (op) {
                case "+" -> "-";
                case "-" -> "+";
                case "<<" -> ">>";
                default -> "<<";
            };
            if (ar.start() > 0 && (line.charAt(ar.start() - 1) == op.charAt(0))) {
                continue;
            }
            out.add(new String[] {"arithmetic " + op + " -> " + to, line.substring(0, ar.start()) + to + line.substring(ar.end())});
        }
        // constants off by one
        Matcher k = INT.matcher(line);
        while (k.find()) {
            long v = Long.parseLong(k.group(1));
            out.add(new String[] {"constant " + v + " -> " + (v + 1), line.substring(0, k.start()) + (v + 1) + line.substring(k.end())});
            if (v > 0) {
                out.add(new String[] {"constant " + v + " -> " + (v - 1), line.substring(0, k.start()) + (v - 1) + line.substring(k.end())});
            }
        }
        // negated condition
        Matcher c = IF.matcher(line);
        if (c.matches()) {
            out.add(new String[] {"negated condition", c.group(1) + "(!(" + c.group(2) + "))" + c.group(3)});
        }
        // return values and errno
        Matcher r = RETURN.matcher(line);
        if (r.matches()) {
            String value = r.group(2).strip();
            if (ERRNO.containsKey(value)) {
                out.add(new String[] {"errno " + value + " -> " + ERRNO.get(value), r.group(1) + ERRNO.get(value) + ";" + r.group(3)});
            }
            if (!value.equals("0")) {
                out.add(new String[] {"return value -> 0", r.group(1) + "0;" + r.group(3)});
            } else {
                out.add(new String[] {"return value 0 -> -EINVAL", r.group(1) + "-EINVAL;" + r.group(3)});
            }
        } else if (CALL_OR_ASSIGN.matcher(line).matches() && !code.contains(" = {") && !code.startsWith("return")
                && !code.matches("^(?:const\\s+)?(?:struct\\s+)?[A-Za-z_][A-Za-z0-9_]*\\s+\\**[A-Za-z_][A-Za-z0-9_]*\\s*=.*")) {
            String indent = line.substring(0, line.indexOf(code));
            out.add(new String[] {"deleted statement", indent + ";"});
        }
        // swapped arguments of a two-argument call
        Matcher t = TWO_ARGS.matcher(line);
        while (t.find()) {
            if (!t.group(2).strip().equals(t.group(3).strip())) {
                out.add(new String[] {"swapped arguments of " + t.group(1), line.substring(0, t.start()) + t.group(1) + "("
                        + t.group(3).strip() + ", " + t.group(2).strip() + ")" + line.substring(t.end())});
            }
        }
        return out;
    }
}
