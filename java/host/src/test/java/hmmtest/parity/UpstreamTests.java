package hmmtest.parity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tests an upstream {@code tools/testing/selftests/mm/hmm-tests.c} defines: every
 * {@code TEST_F}, {@code TEST_F_TIMEOUT} (and {@code TEST_F_SIGNAL}) with its fixture, and the
 * variants of each fixture ({@code FIXTURE_VARIANT_ADD}). The harness runs every test once per
 * variant of its fixture, as {@code fixture.variant.test}.
 */
record UpstreamTests(Map<String, List<String>> variants, List<Test> tests) {

    /** One {@code TEST_F*(fixture, name...)} at a line of the file. */
    record Test(String macro, String fixture, String name, int line) {}

    private static final Pattern TEST = Pattern.compile("^[ \\t]*(TEST_F(?:_TIMEOUT|_SIGNAL)?)[ \\t]*\\([ \\t]*(\\w+)[ \\t]*,[ \\t]*(\\w+)",
            Pattern.MULTILINE);
    private static final Pattern VARIANT = Pattern.compile("^[ \\t]*FIXTURE_VARIANT_ADD[ \\t]*\\([ \\t]*(\\w+)[ \\t]*,[ \\t]*(\\w+)",
            Pattern.MULTILINE);

    static UpstreamTests parse(String source) {
        Map<String, List<String>> variants = new LinkedHashMap<>();
        Matcher v = VARIANT.matcher(source);
        while (v.find()) {
            variants.computeIfAbsent(v.group(1), k -> new ArrayList<>()).add(v.group(2));
        }
        List<Test> tests = new ArrayList<>();
        Matcher t = TEST.matcher(source);
        while (t.find()) {
            int line = 1 + (int) source.substring(0, t.start()).chars().filter(c -> c == '\n').count();
            tests.add(new Test(t.group(1), t.group(2), t.group(3), line));
        }
        return new UpstreamTests(variants, tests);
    }

    static UpstreamTests read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    /** The ids the kselftest harness reports: fixture.variant.test (fixture.test without variants). */
    List<String> ids(Test t) {
        List<String> out = new ArrayList<>();
        for (String variant : variants.getOrDefault(t.fixture(), List.of())) {
            out.add(t.fixture() + "." + variant + "." + t.name());
        }
        if (out.isEmpty()) {
            out.add(t.fixture() + "." + t.name());
        }
        return out;
    }
}
