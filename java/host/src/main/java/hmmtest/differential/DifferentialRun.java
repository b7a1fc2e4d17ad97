package hmmtest.differential;

import hmmtest.console.CrashReport;
import hmmtest.infra.Exec;
import hmmtest.infra.ExitCode;
import hmmtest.infra.Progress;
import hmmtest.uapi.AbiVersion;
import hmmtest.model.Action;
import hmmtest.protocol.WorkOrder;
import hmmtest.vm.Machine;
import hmmtest.model.Layout;
import hmmtest.model.ModelOptions;
import hmmtest.repro.Reproducers;
import hmmtest.session.GuestVm;
import hmmtest.console.KnownIssues;
import hmmtest.vm.Accelerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host side of a differential run: one VM runs the seeded generator against the model and
 * the driver; divergences come back shrunk, with reproducers; a kernel crash is pinned on the
 * action written ahead, shrunk here across fresh VMs, and its C reproducer is checked in one more
 * fresh VM.
 */
public final class DifferentialRun {

    /**
     * What to run.
     *
     * @param replay an action list to replay (and shrink if it diverges) instead of generating
     *     actions, or null
     * @param shrinkSeconds in-guest shrinking time per divergence, or null for the guest's default
     * @param steer coverage steering on a coverage kernel: sends {@code --steer} (off by default:
     *     measured, it found no more than the fixed weights, docs/measurements.md)
     * @param engine where the generator and the model run (a replay always runs in the guest)
     */
    public record Settings(long seed, Long actions, Long seconds, boolean exploreHazards, int shrinkBoots,
            Duration shrinkTime, String rerun, Path replay, Long shrinkSeconds, boolean steer, Engine engine) {
        /** Crash shrinking's default wall-time cap: about what 16 cold-booted candidates took on 2026-12-03. */
        public static final Duration SHRINK_TIME = Duration.ofMinutes(10);

        public Settings(long seed, Long actions, Long seconds, boolean exploreHazards, int shrinkBoots, String rerun) {
            this(seed, actions, seconds, exploreHazards, shrinkBoots, SHRINK_TIME, rerun, null, null, false,
                    Engine.DEFAULT);
        }

        public Settings {
            if (engine == Engine.HOST && steer) {
                throw new IllegalArgumentException("--steer needs --engine guest (it reads the kernel's counters"
                        + " beside the model)");
            }
        }
    }

    /**
     * Where the differential engine (generator, model, shrinker) runs. GUEST: in the guest JVM, with
     * the JNA executor. HOST: in this JVM, with the guest's C executor answering each action over
     * the control port; the same seed gives the same actions and verdicts either way.
     */
    public enum Engine {
        GUEST, HOST;

        public static final Engine DEFAULT = GUEST;

        /** "guest" or "host"; IllegalArgumentException otherwise. */
        public static Engine parse(String s) {
            return switch (s) {
                case "guest" -> GUEST;
                case "host" -> HOST;
                default -> throw new IllegalArgumentException("--engine must be guest or host (got " + s + ")");
            };
        }
    }

    /** The outcome, for the exit code and the report. */
    public record Result(long actions, double actionsPerSecond, int divergences, String crashTitle, int minimalActions,
            Boolean cReproducerCrashes, ExitCode exitCode, List<Map<String, Object>> divergenceList,
            List<Map<String, Object>> crashList) {}

    private final Machine machine;
    private final Path dir;
    private final KnownIssues known;

    public DifferentialRun(Machine machine, Path dir, KnownIssues known) {
        this.machine = machine;
        this.dir = dir;
        this.known = known;
    }

    public Result run(Settings s) throws IOException {
        List<String> fuzzArgs = new ArrayList<>();
        Map<String, byte[]> guestFiles = new LinkedHashMap<>();
        Duration timeout;
        if (s.replay() != null) {
            // The guest replays the list once and, if it diverges, shrinks it like the main run does.
            guestFiles.put("etc/hmmtest/replay.actions", Files.readAllBytes(s.replay()));
            fuzzArgs.addAll(List.of("--shrink", "/etc/hmmtest/replay.actions"));
            timeout = Duration.ofSeconds(900 + (s.shrinkSeconds() == null ? 120 : s.shrinkSeconds()));
        } else {
            fuzzArgs.addAll(List.of("--seed", Long.toString(s.seed())));
            if (s.actions() != null) {
                fuzzArgs.addAll(List.of("--actions", Long.toString(s.actions())));
            }
            if (s.seconds() != null) {
                fuzzArgs.addAll(List.of("--seconds", Long.toString(s.seconds())));
            }
            if (s.exploreHazards()) {
                fuzzArgs.add("--explore-hazards");
            }
            if (s.steer()) {
                fuzzArgs.add("--steer");
            }
            timeout = Duration.ofSeconds(s.seconds() != null ? s.seconds() + 600
                    : 600 + (s.actions() == null ? 10_000 : s.actions()) / 20);
        }
        if (s.shrinkSeconds() != null) {
            fuzzArgs.addAll(List.of("--shrink-seconds", Long.toString(s.shrinkSeconds())));
            timeout = timeout.plusSeconds(s.shrinkSeconds());
        }
        fuzzArgs.addAll(List.of("--rerun", s.rerun()));
        guestFiles.put("etc/hmmtest/fuzz.args", (String.join("\n", fuzzArgs) + "\n").getBytes(StandardCharsets.UTF_8));
        FuzzLog log = new FuzzLog();
        boolean onHost = s.engine() == Engine.HOST && s.replay() == null;
        Progress.info("fuzz", (s.replay() != null ? "replaying " + s.replay()
                : "seed " + s.seed() + ", budget " + (s.actions() != null ? s.actions() + " actions" : "")
                        + (s.seconds() != null ? " " + s.seconds() + " s" : ""))
                + ", " + (onHost ? "host" : "guest") + " engine; guest console in " + dir.resolve("fuzz"));
        java.util.function.Consumer<hmmtest.protocol.ResultRecord> records = r -> {
            if (r.kind() == hmmtest.protocol.ResultRecord.Kind.GCDA) {
                hmmtest.coverage.GcdaStore.write(dir.resolve("fuzz"), r); // a coverage kernel's counters
                return;
            }
            synchronized (log) { // the guest's records and, with the host engine, the engine's
                log.apply(r);
            }
            if (r.kind() == hmmtest.protocol.ResultRecord.Kind.FUZZ && r.field(0).equals("prog")) {
                Progress.info("fuzz", r.field(1) + " actions, " + r.field(3) + " divergences, " + r.field(5)
                        + " actions/s");
            }
        };
        GuestVm.Result vm;
        if (onHost) {
            // the same arguments the guest's engine gets
            HostEngine engine = new HostEngine(fuzzArgs, records, dir.resolve("fuzz").resolve(HostEngine.LOG));
            vm = GuestVm.run(machine, WorkOrder.mode("executor", Map.of(HostEngine.ARGS_FILE,
                    guestFiles.get("etc/hmmtest/fuzz.args"))), dir.resolve("fuzz"), timeout, known, engine::record,
                    engine::run);
        } else {
            vm = GuestVm.run(machine, WorkOrder.mode("fuzz", guestFiles), dir.resolve("fuzz"), timeout, known, records);
        }
        Path files = Files.createDirectories(dir.resolve("reproducers"));
        for (var f : log.files.entrySet()) {
            Files.writeString(files.resolve(f.getKey()), f.getValue());
        }
        for (FuzzLog.Divergence d : log.divergences) {
            Progress.always("DIVERGENCE " + d.id() + ": " + d.signature() + "\n  action:    " + d.action()
                    + "\n  observed:  " + d.observed() + "\n  predicted: " + d.predicted()
                    + "\n  reproducers: " + files + "/" + d.id() + ".*");
        }
        long actions = log.actions();
        double aps = log.actionsPerSecond();
        if (vm.bootFailure() != null) {
            return bootFailure(vm, files);
        }
        CrashReport crash = vm.firstReport();
        if (crash == null && vm.infrastructure() != null) {
            // not a kernel crash: nothing to shrink; the run did not finish its budget, so it is incomplete
            Progress.always(String.format(Locale.ROOT, "fuzz: %s, %d actions, %.0f actions/s, %d divergence(s); ended by an"
                    + " infrastructure event, NOT a kernel crash: %s", s.replay() != null ? "replay" : "seed " + s.seed(),
                    actions, aps, log.divergences.size(), vm.infrastructure()));
            ExitCode code = !log.divergences.isEmpty() ? ExitCode.TESTS_FAILED : ExitCode.INCOMPLETE;
            return new Result(actions, aps, log.divergences.size(), null, 0, null, code, divergenceList(log, files),
                    List.of());
        }
        if (crash == null) {
            String stop = log.stopReason() == null ? (vm.timedOut() ? "timed out" : "guest ended without totals") : log.stopReason();
            Progress.always(String.format(Locale.ROOT, "fuzz: %s, %d actions, %.0f actions/s, %d divergence(s); %s",
                    s.replay() != null ? "replay" : "seed " + s.seed(), actions, aps, log.divergences.size(), stop));
            String ambiguous = log.info.get("fuzz-ambiguous-ends");
            if (ambiguous != null) {
                Progress.always("fuzz: " + ambiguous + " (no verdict is drawn from a model that dropped states)");
            }
            ExitCode code = !log.divergences.isEmpty() ? ExitCode.TESTS_FAILED
                    : log.stats == null ? ExitCode.INCOMPLETE : ExitCode.OK;
            return new Result(actions, aps, log.divergences.size(), null, 0, null, code, divergenceList(log, files),
                    List.of());
        }
        return crashed(s, log, crash, aps, files);
    }

    /**
     * The kernel never reached the guest harness: no action ran, so there is nothing to pin a
     * crash on or to shrink. Said with the console lines that show it; exit 4 (a boot failure).
     */
    private Result bootFailure(GuestVm.Result vm, Path files) {
        StringBuilder msg = new StringBuilder("fuzz: the kernel never reached the guest harness: " + vm.bootFailure()
                + "\n  no action ran: nothing to shrink; console (" + vm.consoleLog() + "), last lines:");
        vm.bootExcerpt().forEach(l -> msg.append("\n  | ").append(l));
        Progress.always(msg.toString());
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("test", "boot (before the guest harness started)");
        c.put("vm", 1);
        c.put("kind", vm.firstReport() != null ? vm.firstReport().kind().name() : "BOOT");
        c.put("title", "the kernel never reached the guest harness: " + vm.bootFailure());
        c.put("excerpt", vm.bootExcerpt());
        c.put("minimalActions", 0);
        c.put("reproducers", null);
        return new Result(0, 0, 0, null, 0, null, ExitCode.INCOMPLETE, List.of(), List.of(c));
    }

    private Result crashed(Settings s, FuzzLog log, CrashReport crash, double aps, Path files) throws IOException {
        String probed = log.info.get("abi");
        List<Action> sequence = new ArrayList<>();
        log.sequence.forEach(t -> sequence.add(Action.parse(t)));
        Progress.always("KERNEL CRASH during action " + (sequence.size() - 1) + " of a " + log.sequenceKind
                + " sequence: " + crash.title() + "\n  action: " + (sequence.isEmpty() ? "?" : sequence.get(sequence.size() - 1).toText()));
        Files.writeString(files.resolve("crash-original.actions"), Reproducers.actionsText(sequence));
        if (probed == null) {
            // The kernel died before the guest probed the driver: no rules to shrink or write reproducers by.
            Progress.always("the guest never reported the driver's ABI (the crash came before the probe): "
                    + "not shrunk, no reproducers; the console is in " + dir.resolve("fuzz"));
            return new Result(log.actions(), aps, log.divergences.size(), crash.title(), sequence.size(), null,
                    ExitCode.KERNEL_CRASH, divergenceList(log, files), List.of(crashEntry(sequence, crash, sequence.size(),
                    null, null)));
        }
        AbiVersion abi = AbiVersion.valueOf(probed);
        CrashShrinker shrinker = new CrashShrinker(abi, (candidate, d) -> GuestVm.run(machine,
                WorkOrder.mode("fuzz", CrashShrinker.replayFiles(candidate)), d, Duration.ofMinutes(5), known, r -> { }),
                dir);
        List<Action> minimal = shrinker.shrink(sequence, crash.title(), s.shrinkBoots(), s.shrinkTime());
        Progress.always("shrunk to " + minimal.size() + " action(s) with " + shrinker.summary() + ":\n  "
                + String.join("\n  ", minimal.stream().map(Action::toText).toList()));
        long arena = arenaBase(log.info.getOrDefault("fuzz-machine", ""));
        String name = "crash-s" + s.seed();
        Reproducers.Subject subject = new Reproducers.Subject(name, crash.title(), abi, ModelOptions.defaults(), arena,
                s.rerun(), s.seed());
        for (Reproducers.File f : Reproducers.all(subject, minimal, List.of())) {
            Files.writeString(files.resolve(f.name()), f.content());
        }
        Boolean cCrashes = checkC(files.resolve(name + ".c"), crash.title());
        Progress.always("reproducers: " + files + "/" + name + ".{actions,c,rerun} and the JUnit class; C program "
                + (cCrashes == null ? "not checked" : cCrashes ? "crashes a fresh VM with the same title"
                        : "does NOT crash a fresh VM with the same title"));
        return new Result(log.actions(), aps, log.divergences.size(), crash.title(), minimal.size(), cCrashes,
                ExitCode.KERNEL_CRASH, divergenceList(log, files),
                List.of(crashEntry(sequence, crash, minimal.size(), files.resolve(name + ".c"), shrinker)));
    }

    private static Map<String, Object> crashEntry(List<Action> sequence, CrashReport crash, int minimal, Path reproducer,
            CrashShrinker shrinker) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("test", "fuzz action " + (sequence.size() - 1) + ": " + (sequence.isEmpty() ? "?"
                : sequence.get(sequence.size() - 1).toText()));
        c.put("vm", 1);
        c.put("kind", crash.kind().name());
        c.put("title", crash.title());
        c.put("excerpt", crash.excerpt());
        c.put("minimalActions", minimal);
        if (shrinker != null) {
            c.put("shrinkVms", shrinker.boots());
            c.put("shrinkRestores", shrinker.restores());
            c.put("shrinkSeconds", shrinker.seconds());
        }
        c.put("reproducers", reproducer == null ? null : reproducer.toString());
        return c;
    }

    /** Compiles the C reproducer statically and runs it alone in a fresh VM. */
    private Boolean checkC(Path c, String title) throws IOException {
        Path bin = c.resolveSibling(c.getFileName().toString().replace(".c", ""));
        Exec.Result r = Exec.run(List.of("gcc", "-O1", "-static", "-o", bin.toString(), c.toString()), null,
                c.resolveSibling("gcc.log"), Map.of());
        if (r.exitCode() != 0) {
            Progress.always("the C reproducer did not compile: " + r.tail(5));
            return null;
        }
        GuestVm.Result vm = GuestVm.run(machine, WorkOrder.mode("exec", Map.of("etc/hmmtest/program",
                Files.readAllBytes(bin))), dir.resolve("c-reproducer"), Duration.ofMinutes(3), known, x -> { });
        return vm.firstReport() != null && vm.firstReport().title().equals(title);
    }

    private static List<Map<String, Object>> divergenceList(FuzzLog log, Path files) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (FuzzLog.Divergence d : log.divergences) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", d.id());
            m.put("signature", d.signature());
            m.put("action", d.action());
            m.put("observed", d.observed());
            m.put("predicted", d.predicted());
            m.put("reproducers", files.resolve(d.id()).toString() + ".*");
            out.add(m);
        }
        return out;
    }

    /** Adds this run's figures to a suite run's results.json as its "fuzz" section (read by the reports). */
    public static void addToResults(Path resultsJson, Settings s, Result r) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = json.readValue(resultsJson.toFile(), LinkedHashMap.class);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("seed", Long.toString(s.seed()));
        f.put("actions", r.actions());
        f.put("actionsPerSecond", r.actionsPerSecond());
        f.put("seconds", s.seconds());
        f.put("divergences", r.divergenceList());
        f.put("crashes", r.crashList());
        m.put("fuzz", f);
        json.writeValue(resultsJson.toFile(), m);
    }

    static long arenaBase(String machine) {
        Matcher m = Pattern.compile("arena 0x([0-9a-f]+)").matcher(machine);
        return m.find() ? Long.parseUnsignedLong(m.group(1), 16) : Layout.DEFAULT_ARENA_BASE;
    }


    static Map<String, Object> toJson(Settings s, Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", s.seed());
        m.put("actions", r.actions());
        m.put("actionsPerSecond", r.actionsPerSecond());
        m.put("divergences", r.divergences());
        m.put("crash", r.crashTitle());
        m.put("minimalActions", r.minimalActions());
        m.put("cReproducerCrashes", r.cReproducerCrashes());
        return m;
    }
}
