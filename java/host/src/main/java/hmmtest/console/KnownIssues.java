package hmmtest.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The reviewed list of known, harmless kernel reports (known-issues.txt): a non-fatal report whose
 * title matches is recorded as a known issue instead of ending the VM. Fatal reports never match.
 */
public final class KnownIssues {
    /** One line of the file. */
    public record Issue(Pattern title, String reason, String source) {}

    private final List<Issue> issues;

    private KnownIssues(List<Issue> issues) {
        this.issues = List.copyOf(issues);
    }

    public static KnownIssues none() {
        return new KnownIssues(List.of());
    }

    public static KnownIssues read(Path file) {
        if (!Files.isRegularFile(file)) {
            return none();
        }
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static KnownIssues parse(String text) {
        List<Issue> out = new ArrayList<>();
        int n = 0;
        for (String line : text.split("\n")) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s*\\|\\s*", 3);
            if (f.length < 2 || f[1].isBlank()) {
                throw new IllegalArgumentException("known-issues line " + n + ": expected 'TITLE_REGEX | reason | source'");
            }
            out.add(new Issue(Pattern.compile(f[0].trim()), f[1].trim(), f.length > 2 ? f[2].trim() : ""));
        }
        return new KnownIssues(out);
    }

    /** The issue this report is, if it is known and not fatal. */
    public Optional<Issue> match(CrashReport r) {
        if (r.fatal() || r.panicked()) {
            return Optional.empty();
        }
        return issues.stream().filter(i -> i.title().matcher(r.title()).matches()).findFirst();
    }
}
