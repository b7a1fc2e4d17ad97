package hmmtest.report;

import com.fasterxml.jackson.databind.JsonNode;
import hmmtest.results.Ktap;
import hmmtest.results.RunResults;
import hmmtest.results.TestOutcome;
import hmmtest.results.TestStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One kernel run's results directory, read for reporting: results.json (and crashes.json,
 * agreement.json, the upstream KTAP) as typed values. Reading never fails on a partial directory:
 * a run that was cut short before it wrote results.json, or one from an older schema, still gives
 * a report, and {@link #problems()} says what was missing.
 */
public record RunReport(Path dir, String variant, String kernelBuild, String kernelRelease, KernelManifest manifest,
        String accelerator, Map<String, String> info, List<String> plan, List<TestOutcome> tests,
        List<Crash> crashes, List<Vm> vms, List<Double> recoverySeconds, String incomplete, Integer exitCode,
        List<AgreementTable.Row> agreement, Optional<FuzzSection> fuzz, List<String> problems, String startedAt,
        List<Confirmed> confirmations, List<Infra> infrastructure, String shard) {

    /** A kernel crash or hang; {@code test} is null when it happened between tests. */
    public record Crash(String test, int vm, String kind, String title, List<String> altTitles, boolean fatal,
            boolean corrupted, String taint, String callerId, List<String> excerpt, List<String> taskDump,
            double secondsIntoVm) {

        static Crash from(JsonNode c) {
            return new Crash(Json.textOrNull(c, "test"), c.path("vm").asInt(0), c.path("kind").asText(""),
                    c.path("title").asText("(untitled crash)"), Json.strings(c.path("altTitles")),
                    c.path("fatal").asBoolean(false), c.path("corrupted").asBoolean(false), c.path("taint").asText(""),
                    c.path("callerId").asText(""), Json.strings(c.path("excerpt")), Json.strings(c.path("taskDump")),
                    c.path("secondsIntoVm").asDouble(0));
        }
    }

    /**
     * One VM of the run: why it ended, its boot phases in the order they were reached, and how it
     * started (booted, or restored from which warm snapshot; null in results from before snapshots).
     */
    public record Vm(int index, String ending, double seconds, List<RunResults.Phase> phases,
            hmmtest.vm.VmLauncher.Start start) {
        /** "booted", "restored from snapshot ... in 0.6 s", ...; "-" when not recorded. */
        public String startedAs() {
            return start == null ? "-" : start.describe();
        }
    }

    static final String NO_RESULT = "no result recorded: the run ended before this test reported";

    public static RunReport read(Path dir) {
        List<String> problems = new ArrayList<>();
        JsonNode r = Optional.ofNullable(readJson(dir.resolve("results.json"), problems))
                .orElseGet(Json.MAPPER::createObjectNode);
        String variant = Optional.ofNullable(Json.textOrNull(r, "variant")).orElse(dir.getFileName().toString());
        JsonNode manifestNode = r.path("kernelManifest");
        KernelManifest manifest = KernelManifest.from(manifestNode);
        String release = Optional.ofNullable(Json.textOrNull(r, "kernelRelease"))
                .or(() -> Optional.ofNullable(Json.textOrNull(r.path("info"), "kernel")))
                .orElse(manifest.kernelRelease());

        Map<String, String> info = new LinkedHashMap<>(Json.flat(r.path("info")));
        List<TestOutcome> tests = new ArrayList<>();
        for (JsonNode t : r.path("tests")) {
            tests.add(new TestOutcome(t.path("id").asText(""), parseStatus(t.path("status").asText("")),
                    t.path("millis").asLong(0), t.path("message").asText("")));
        }
        List<Crash> crashes = new ArrayList<>();
        JsonNode crashNodes = r.has("crashes") ? r.path("crashes") : items(readJson(dir.resolve("crashes.json"), null), "crashes");
        if (crashNodes != null) {
            crashNodes.forEach(c -> crashes.add(Crash.from(c)));
        }
        List<Double> recovery = new ArrayList<>();
        r.path("recoverySeconds").forEach(d -> recovery.add(d.asDouble()));

        String incomplete = Json.textOrNull(r, "incomplete");
        if (incomplete == null && !problems.isEmpty()) {
            incomplete = problems.get(0);
        }
        Integer exitCode = r.path("exitCode").isNumber() ? r.path("exitCode").asInt() : null;
        JsonNode fuzz = r.path("fuzz");
        List<Vm> vms = vms(r);
        return new RunReport(dir, variant, r.path("kernelBuild").asText(""), release, manifest,
                r.path("accelerator").asText(""), info, Json.strings(r.path("plan")), tests, crashes, vms,
                recovery, incomplete, exitCode, agreement(dir, tests, problems),
                fuzz.isObject() ? Optional.of(FuzzSection.from(fuzz)) : Optional.empty(), problems,
                Json.textOrNull(r, "startedAt"), confirmations(r), infrastructure(r), shard(r.path("shard")));
    }

    /**
     * Which part of a sharded selection this run was ("shard 1/2 of 'hmm.*': 18 of its 36 tests"),
     * or what a merge joined ("shards 1/2, 2/2 merged; missing: 3/3"); null for a whole run.
     */
    static String shard(JsonNode s) {
        if (!s.isObject()) {
            return null;
        }
        String selection = s.path("selection").isTextual() ? "'" + s.path("selection").asText() + "'" : "the whole suite";
        int count = s.path("count").asInt();
        if (s.path("merged").asBoolean(false)) {
            List<String> joined = new ArrayList<>();
            s.path("shards").forEach(x -> joined.add(x.path("index").asInt() + "/" + count));
            List<String> missing = new ArrayList<>();
            s.path("missing").forEach(x -> missing.add(x.asInt() + "/" + count));
            return "shard" + (joined.size() == 1 ? " " : "s ") + String.join(", ", joined) + " of " + selection
                    + " merged" + (missing.isEmpty() ? "" : "; MISSING: " + String.join(", ", missing));
        }
        return "shard " + s.path("index").asInt() + "/" + count + " of " + selection + ": " + s.path("tests").size()
                + " of its " + s.path("selectionPlan").size() + " tests";
    }

    /** A VM the infrastructure ended (an impossible stall claim after a guest clock jump): not a crash. */
    public record Infra(int vm, String test, String title, String reason) {}

    /** The infrastructure events of results.json, oldest first; none for results written before they existed. */
    private static List<Infra> infrastructure(JsonNode r) {
        List<Infra> out = new ArrayList<>();
        r.path("infrastructure").forEach(e -> out.add(new Infra(e.path("vm").asInt(), Json.textOrNull(e, "test"),
                e.path("title").asText(""), e.path("reason").asText(""))));
        return out;
    }

    /**
     * A crashed or failed test rerun alone in fresh VMs (pipeline/Confirmation): how often it came
     * back on this kernel, and for a validation's patched kernel, on the base.
     */
    public record Confirmed(String test, String kind, String title, int runs, int reproduced, String label,
            Integer baseRuns, Integer baseReproduced, String baseLabel) {
        /** "reproducible 3/3, patched only (0/3 on base)". */
        public String describe() {
            return label + (baseLabel == null ? "" : ", " + baseLabel);
        }

        public boolean alsoOnBase() {
            return baseReproduced != null && baseReproduced > 0;
        }
    }

    private static List<Confirmed> confirmations(JsonNode r) {
        List<Confirmed> out = new ArrayList<>();
        r.path("confirmations").forEach(c -> {
            JsonNode b = c.path("base");
            out.add(new Confirmed(c.path("test").asText(), c.path("kind").asText(), c.path("title").asText(""),
                    c.path("runs").asInt(), c.path("reproduced").asInt(), c.path("label").asText(""),
                    b.isObject() ? b.path("runs").asInt() : null, b.isObject() ? b.path("reproduced").asInt() : null,
                    b.isObject() ? b.path("label").asText() : null));
        });
        return out;
    }

    /** The confirmation of this test's crash or failure, if it was rerun. */
    public Optional<Confirmed> confirmation(String testId) {
        return confirmations.stream().filter(c -> c.test().equals(testId)).findFirst();
    }

    /** The test whose output is the upstream selftest's own KTAP ({@code upstream-hmm-tests.ktap}). */
    public static final String UPSTREAM_TEST = "upstream.hmm_tests";

    /** The upstream selftest's KTAP as it printed it, or nothing when this run did not run it. */
    public List<String> upstreamKtap() {
        Path ktap = dir.resolve("upstream-hmm-tests.ktap");
        try {
            return Files.isRegularFile(ktap) ? Files.readAllLines(ktap) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Every test once, in plan order, then any the plan did not name. A planned test without an
     * outcome is NOT_RUN: results.json written by a run that was cut short has such gaps.
     */
    public List<TestOutcome> outcomes() {
        Map<String, TestOutcome> byId = new LinkedHashMap<>();
        tests.forEach(t -> byId.put(t.id(), t));
        List<TestOutcome> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String id : plan) {
            if (seen.add(id)) {
                out.add(byId.getOrDefault(id, new TestOutcome(id, TestStatus.NOT_RUN, 0, NO_RESULT)));
            }
        }
        byId.values().stream().filter(t -> seen.add(t.id())).forEach(out::add);
        return out;
    }

    /** This run's verdict for a test, or null if the run neither planned nor ran it. */
    public TestStatus status(String testId) {
        return outcomes().stream().filter(o -> o.id().equals(testId)).map(TestOutcome::status).findFirst()
                .orElse(null);
    }

    public long count(TestStatus s) {
        return outcomes().stream().filter(o -> o.status() == s).count();
    }

    /** The crashes pinned on a test (a test can take down more than one VM only in theory; keep all). */
    public List<Crash> crashesOf(String testId) {
        return crashes.stream().filter(c -> testId.equals(c.test())).toList();
    }

    /** True when the run finished everything it planned and wrote all its results. */
    public boolean complete() {
        return incomplete == null && problems.isEmpty() && count(TestStatus.NOT_RUN) == 0
                && !outcomes().isEmpty();
    }

    /** The consoles the reader should look at: one per VM (vm-N/console.log), or the single older one. */
    public List<Path> consoleLogs() {
        List<Path> logs = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(d -> d.resolve("console.log")).filter(Files::isRegularFile).sorted().forEach(logs::add);
        } catch (IOException e) {
            return logs;
        }
        if (Files.isRegularFile(dir.resolve("console.log"))) {
            logs.add(0, dir.resolve("console.log"));
        }
        return logs;
    }

    private static List<Vm> vms(JsonNode r) {
        List<Vm> vms = new ArrayList<>();
        for (JsonNode v : r.path("vms")) {
            vms.add(new Vm(v.path("index").asInt(vms.size() + 1), v.path("ending").asText(""),
                    v.path("seconds").asDouble(0), phases(v.path("phases")), start(v.path("start"))));
        }
        if (vms.isEmpty() && r.path("phases").isObject()) {
            // Results from before sessions ran several VMs: one VM, its phases at the top level.
            vms.add(new Vm(1, "", 0, phases(r.path("phases")), null));
        }
        return vms;
    }

    private static hmmtest.vm.VmLauncher.Start start(JsonNode s) {
        if (!s.isObject()) {
            return null;
        }
        try {
            return START_READER.treeToValue(s, hmmtest.vm.VmLauncher.Start.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper START_READER =
            new com.fasterxml.jackson.databind.ObjectMapper()
                    .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static List<RunResults.Phase> phases(JsonNode p) {
        List<RunResults.Phase> out = new ArrayList<>();
        p.properties().forEach(e -> out.add(new RunResults.Phase(e.getValue().path("name").asText(e.getKey()),
                e.getValue().path("guestSeconds").asDouble(-1), e.getValue().path("hostSeconds").asDouble(-1))));
        return out;
    }

    /** The list in a document with a header ({@code field}), or a bare array (written before schema 2). */
    private static JsonNode items(JsonNode doc, String field) {
        return doc != null && doc.isObject() ? doc.path(field) : doc;
    }

    /** agreement.json when the run wrote it; otherwise recomputed from the upstream KTAP, if any. */
    private static List<AgreementTable.Row> agreement(Path dir, List<TestOutcome> tests, List<String> problems) {
        JsonNode rows = items(readJson(dir.resolve("agreement.json"), null), "rows");
        List<AgreementTable.Row> out = new ArrayList<>();
        if (rows != null && rows.isArray()) {
            for (JsonNode a : rows) {
                String ours = Json.textOrNull(a, "ours");
                out.add(new AgreementTable.Row(a.path("test").asText(""), parseStatus(a.path("upstream").asText("")),
                        a.path("upstreamReason").asText(""), ours == null ? null : parseStatus(ours),
                        a.path("agree").asBoolean(false)));
            }
            return out;
        }
        Path ktap = dir.resolve("upstream-hmm-tests.ktap");
        if (Files.isRegularFile(ktap)) {
            try {
                return AgreementTable.rows(Ktap.parse(Files.readAllLines(ktap)), tests);
            } catch (IOException e) {
                problems.add("upstream-hmm-tests.ktap unreadable: " + e.getMessage());
            }
        }
        return out;
    }

    /** The file's JSON, or null; a missing or broken file is noted in {@code problems} when given. */
    private static JsonNode readJson(Path file, List<String> problems) {
        if (!Files.isRegularFile(file)) {
            if (problems != null) {
                problems.add("no " + file.getFileName() + ": the run ended before writing its results");
            }
            return null;
        }
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            if (problems != null) {
                problems.add(file.getFileName() + " unreadable: " + e.getMessage().lines().findFirst().orElse(""));
            }
            return null;
        }
    }

    /** Unknown statuses (a newer writer, a typo) count as ERROR: never silently as a pass. */
    static TestStatus parseStatus(String s) {
        try {
            return TestStatus.valueOf(s);
        } catch (IllegalArgumentException e) {
            return TestStatus.ERROR;
        }
    }
}
