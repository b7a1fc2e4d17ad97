package hmmtest.guest;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import hmmtest.uapi.AbiVersion;
import hmmtest.abi.Dmirror;
import hmmtest.protocol.ResultRecord;
import hmmtest.protocol.ResultRecord.Kind;
import hmmtest.protocol.TestSelection;
import hmmtest.protocol.WorkOrder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.platform.commons.support.ReflectionSupport;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The guest harness: PID 1's init starts it after loading test_hmm. It reports boot phases,
 * probes the driver's ABI with one ioctl, runs the device suite through the JUnit Platform
 * launcher and streams every result to the host.
 *
 * <pre>
 * GuestMain [--results /dev/vportNpM] [--select GLOB,GLOB...] [--skip GLOB,...] [--from INDEX] [--mode MODE]
 * GuestMain --results /dev/vportNpM --serve     (warm up, then take the work order from the host: WarmStart)
 * </pre>
 *
 * <p>Execution order is fixed (classes and methods by name) and announced with one "plan" record
 * per test before any runs, so the host can resume after a crash with {@code --from} the index
 * of the next test in a fresh VM. Tests in {@value #PROBE_PACKAGE} crash the kernel on purpose and
 * run only when a selection names them explicitly.
 */
public final class GuestMain {
    static final String SUITE_PACKAGE = "hmmtest.suite";
    static final String PROBE_PACKAGE = "hmmtest.crashprobe";
    static final String PROBE_PREFIX = hmmtest.protocol.TestSelection.PROBE_PREFIX;
    static final String UPSTREAM_PACKAGE = "hmmtest.upstream";

    private GuestMain() {}

    public static void main(String[] args) {
        String results = null;
        List<String> select = new ArrayList<>();
        List<String> skip = new ArrayList<>();
        int from = 0;
        String mode = "suite";
        boolean serve = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--results" -> results = args[++i];
                case "--select" -> select.addAll(splitList(args[++i]));
                case "--skip" -> skip.addAll(splitList(args[++i]));
                case "--from" -> from = Integer.parseInt(args[++i]);
                case "--mode" -> mode = args[++i];
                case "--serve" -> serve = true;
                default -> {
                    System.err.println("GuestMain: unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (mode.equals("cds-training")) {
            cdsTraining();
            System.exit(0);
        }
        int exit;
        try (ResultChannel channel = ResultChannel.open(results)) {
            channel.phase("jvm-started");
            if (serve) {
                // A warm snapshot is taken while the guest waits here; every restore resumes here.
                WarmStart.warmUp();
                channel.phase("snapshot-ready");
                WorkOrder order;
                try {
                    WorkOrder.Received received = WarmStart.awaitOrder(WarmStart.port(WorkOrder.CONTROL_PORT));
                    WarmStart.apply(received);
                    order = received.order();
                } catch (java.io.IOException | RuntimeException e) {
                    channel.info("work-order-error", e.toString());
                    channel.send(ResultRecord.of(Kind.DONE, "2"));
                    System.exit(2);
                    return;
                }
                channel.phase("resumed");
                mode = order.mode();
                select = order.select() == null ? List.of() : splitList(order.select());
                skip = order.skip() == null ? List.of() : splitList(order.skip());
                from = order.from();
            }
            Path selectFile = Path.of("/").resolve(WorkOrder.SELECT_FILE); // a selection too long for the command line
            if (select.isEmpty() && Files.isRegularFile(selectFile)) {
                select = splitList(readOr(selectFile.toString(), "").strip());
            }
            channel.info("kernel", readOr("/proc/sys/kernel/osrelease", "?"));
            channel.info("cds", classDataSharing());
            probe(channel);
            exit = switch (mode) {
                case "bench-read" -> benchRead(channel);
                case "fuzz" -> fuzz(channel);
                case "exec" -> exec(channel);
                case "executor" -> executor(channel);
                default -> runSuite(channel, serve && select.isEmpty() && skip.isEmpty() && WarmStart.wholeSuite() != null
                        ? WarmStart.wholeSuite() : discover(select, skip), from);
            };
            GcovCounters.send(channel); // a coverage kernel's counts, after the work and before the phase that ends it
            channel.phase("work-done");
            channel.send(ResultRecord.of(Kind.DONE, Integer.toString(exit)));
        }
        // Everything is on the host (the channel is closed and flushed) and init powers off next:
        // a JVM's orderly exit is most of a second under TCG and has nothing left to do.
        Runtime.getRuntime().halt(exit);
    }

    /**
     * What the host runs, with the guest's paths, to make the image's class-data archive: the
     * classes of JNA start-up and of a whole-suite JUnit discovery. Touches no device.
     */
    private static void cdsTraining() {
        try {
            hmmtest.abi.NativeHelpers.load();
            Class.forName("hmmtest.abi.Dmirror", true, GuestMain.class.getClassLoader());
        } catch (LinkageError | RuntimeException | ClassNotFoundException e) {
            System.err.println("cds-training: JNA start-up: " + e);
        }
        Discovered d = discover(List.of(), List.of());
        inOrder(d.plan()).forEach(t -> ResultStreamListener.testId(d.plan(), t));
    }

    /**
     * Which class-data archives the JVM mapped, read from /proc/self/maps: "on" (the image's
     * app.jsa over the JDK's classes.jsa), "jdk only" (app.jsa missing or refused), or "off".
     */
    static String classDataSharing() {
        String maps = readOr("/proc/self/maps", "");
        return maps.contains("/app.jsa") ? "on" : maps.contains("/classes.jsa") ? "jdk only" : "off";
    }

    /** Host-to-guest files arrive in an extra initramfs archive under this directory. */
    static final Path HOST_FILES = Path.of("/etc/hmmtest");

    /** The differential run; its arguments (one per line) come from the host in fuzz.args. */
    private static int fuzz(ResultChannel channel) {
        // a fuzz run that crashes the kernel would lose all its coverage: send it every minute too
        java.util.concurrent.ScheduledExecutorService counters = GcovCounters.sendEvery(channel, 60);
        hmmtest.engine.RecordSink sink = new hmmtest.engine.RecordSink(channel::send);
        try {
            List<String> args = Files.readAllLines(HOST_FILES.resolve("fuzz.args"));
            hmmtest.engine.Sink.Stats stats = hmmtest.fuzz.FuzzEntry.run(args.toArray(String[]::new), sink);
            return stats.divergences() == 0 ? 0 : 1;
        } catch (Exception e) {
            sink.error(e);
            return 2;
        } finally {
            if (counters != null) {
                counters.shutdownNow();
            }
        }
    }

    /**
     * The guest's half of the host's engine: the machine detected and its knobs set as for a fuzz
     * run (arguments in executor.args, FuzzRequest's), the machine sent to the host, then the C
     * executor serves the host's actions on the control port until the host ends it.
     */
    private static int executor(ResultChannel channel) {
        java.util.concurrent.ScheduledExecutorService counters = GcovCounters.sendEvery(channel, 60);
        try {
            hmmtest.engine.FuzzRequest r = hmmtest.engine.FuzzRequest.parse(
                    Files.readAllLines(HOST_FILES.resolve("executor.args")).toArray(String[]::new));
            hmmtest.fuzz.Machine machine = hmmtest.fuzz.Machine.detect();
            channel.info("fuzz-machine", machine.toString());
            String port = WarmStart.port(WorkOrder.CONTROL_PORT);
            if (port == null) {
                channel.info("fuzz-error", "no virtio port named " + WorkOrder.CONTROL_PORT);
                return 2;
            }
            try (hmmtest.fuzz.MachineSetup setup = r.setupMachine() ? hmmtest.fuzz.MachineSetup.apply(r.hugetlbPages())
                    : null) {
                if (setup != null) {
                    channel.info("fuzz-setup", setup.describe());
                }
                channel.info("executor-target", machine.target().encode());
                Process p = new ProcessBuilder(EXECUTOR, port,
                        Integer.toString(hmmtest.model.Action.Ioctl.MAX_BUFFER_PAGES),
                        Integer.toString(hmmtest.model.Action.Ioctl.MAX_SNAPSHOT_BYTES)).redirectErrorStream(true).start();
                try (java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        channel.info("executor-output", line);
                    }
                }
                int exit = p.waitFor();
                channel.info("executor-exit", Integer.toString(exit));
                return exit;
            }
        } catch (Exception e) {
            channel.info("fuzz-error", e.toString());
            return 2;
        } finally {
            if (counters != null) {
                counters.shutdownNow();
            }
        }
    }

    /** The C executor of the host's engine (native/exec/hmmfuzz_exec.c), in the image. */
    static final String EXECUTOR = "/opt/hmmtest/native/hmmfuzz_exec";

    /** Runs a program the host sent (a C reproducer), with its output on the channel. */
    private static int exec(ResultChannel channel) {
        try {
            Path program = HOST_FILES.resolve("program");
            program.toFile().setExecutable(true);
            Process p = new ProcessBuilder(program.toString()).redirectErrorStream(true).start();
            try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
                for (String line; (line = r.readLine()) != null; ) {
                    channel.info("exec-output", line);
                }
            }
            int exit = p.waitFor();
            channel.info("exec-exit", Integer.toString(exit));
            return exit;
        } catch (Exception e) {
            channel.info("exec-error", e.toString());
            return 2;
        }
    }

    private static int benchRead(ResultChannel channel) {
        try {
            ReadBenchmark.run(channel, 20_000);
            return 0;
        } catch (Exception e) {
            channel.info("bench-error", e.toString());
            return 1;
        }
    }

    /** The first ioctl answered is a boot phase; its answer tells the ABI version. */
    private static void probe(ResultChannel channel) {
        StringBuilder devices = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            if (Files.exists(Path.of(Dmirror.path(i)))) {
                devices.append(devices.length() == 0 ? "" : ",").append(i);
            }
        }
        channel.info("devices", devices.toString());
        try {
            hmmtest.abi.NativeHelpers.load();
            channel.info("native", "loaded");
        } catch (LinkageError | RuntimeException e) {
            channel.info("native", "unavailable: " + e);
        }
        try (Dmirror d = Dmirror.open(0)) {
            AbiVersion abi = Dmirror.probeAbi(d);
            channel.phase("first-ioctl");
            channel.info("abi", abi == null ? "unknown" : abi.name());
        } catch (RuntimeException e) {
            channel.info("probe-error", e.toString());
        }
    }

    /** A launcher and the plan it discovered: the selected tests only, in execution order. */
    record Discovered(Launcher launcher, TestPlan plan) {}

    /**
     * One discovery with the selection applied as a post-discovery filter, so the plan that is
     * announced is the plan that runs: no second discovery unless a continuation VM starts mid-plan.
     */
    static Discovered discover(List<String> select, List<String> skip) {
        Launcher launcher = LauncherFactory.create();
        boolean probes = TestSelection.namesProbes(select);
        List<String> names = new ArrayList<>(List.of(SUITE_PACKAGE));
        if (probes) {
            names.add(PROBE_PACKAGE);
        }
        names.add(UPSTREAM_PACKAGE); // without the binary (a prebuilt kernel) it reports itself skipped, "not run"
        List<DiscoverySelector> packages = new ArrayList<>();
        for (String pkg : names) {
            if (select.isEmpty()) {
                packages.add(selectPackage(pkg));
                continue;
            }
            // Only the classes whose tests a selection can name: resolving a test class's methods
            // is most of discovery, and a smoke run names one class of the eight.
            for (Class<?> c : ReflectionSupport.findAllClassesInPackage(pkg,
                    c -> !java.lang.reflect.Modifier.isAbstract(c.getModifiers()), n -> true)) {
                if (couldSelectTestsOf(classDisplayName(c), select)) {
                    packages.add(selectClass(c));
                }
            }
        }
        PostDiscoveryFilter selection = d -> {
            if (!d.isTest()) {
                return FilterResult.included("container"); // emptied containers are pruned
            }
            String id = ResultStreamListener.testId(d);
            boolean in = (select.isEmpty() || matchesAny(id, select)) && !matchesAny(id, skip);
            return FilterResult.includedIf(in, () -> "selected", () -> "not selected");
        };
        return new Discovered(launcher, launcher.discover(request(packages, selection)));
    }

    /** The display name JUnit gives a test class: its @DisplayName, else its simple name. */
    static String classDisplayName(Class<?> c) {
        org.junit.jupiter.api.DisplayName d = c.getAnnotation(org.junit.jupiter.api.DisplayName.class);
        return d != null ? d.value() : c.getSimpleName();
    }

    /**
     * Whether some glob could match a test id of a class with this display name ("NAME.method"):
     * the glob matches "NAME." or stops for lack of input ({@link java.util.regex.Matcher#hitEnd}).
     */
    static boolean couldSelectTestsOf(String classDisplayName, List<String> globs) {
        for (String g : globs) {
            java.util.regex.Matcher m = Pattern.compile(globToRegex(g)).matcher(classDisplayName + ".");
            if (m.matches() || m.hitEnd()) {
                return true;
            }
        }
        return false;
    }

    private static int runSuite(ResultChannel channel, Discovered discovered, int from) {
        TestPlan plan = discovered.plan();
        List<String> planned = new ArrayList<>();
        java.util.Set<String> earlier = new java.util.HashSet<>();
        for (TestIdentifier t : inOrder(plan)) {
            if (planned.size() < from) {
                earlier.add(t.getUniqueId());
            }
            planned.add(ResultStreamListener.testId(plan, t));
        }
        for (int i = 0; i < planned.size(); i++) {
            channel.send(ResultRecord.of(Kind.PLAN, Integer.toString(i), planned.get(i)));
        }
        int rest = Math.max(0, planned.size() - from);
        channel.info("tests", Integer.toString(rest));
        channel.phase("suite-discovered");
        if (rest == 0) {
            return 0;
        }
        // A continuation after a crash: the same plan, the tests before the position disabled, and
        // whole classes of them at once (a disabled test still costs its descriptor's walk).
        for (TestIdentifier c : plan.getRoots().stream().flatMap(r -> plan.getDescendants(r).stream())
                .filter(TestIdentifier::isContainer).toList()) {
            var tests = plan.getDescendants(c).stream().filter(TestIdentifier::isTest).toList();
            if (!tests.isEmpty() && tests.stream().allMatch(t -> earlier.contains(t.getUniqueId()))) {
                earlier.add(c.getUniqueId());
            }
        }
        ContinueFrom.skip(earlier);
        ResultStreamListener listener = new ResultStreamListener(channel);
        discovered.launcher().execute(plan, listener);
        return listener.failed() == 0 ? 0 : 1;
    }

    /** Tests depth-first in the plan's order, which the orderers below make the execution order. */
    static List<TestIdentifier> inOrder(TestPlan plan) {
        List<TestIdentifier> out = new ArrayList<>();
        java.util.ArrayDeque<TestIdentifier> stack = new java.util.ArrayDeque<>();
        List<TestIdentifier> roots = new ArrayList<>(plan.getRoots());
        java.util.Collections.reverse(roots);
        roots.forEach(stack::push);
        while (!stack.isEmpty()) {
            TestIdentifier t = stack.pop();
            if (t.isTest()) {
                out.add(t);
            }
            List<TestIdentifier> children = new ArrayList<>(plan.getChildren(t));
            java.util.Collections.reverse(children);
            children.forEach(stack::push);
        }
        return out;
    }

    /** Runs one class's tests with the suite's settings and reports nothing (WarmStart). */
    static void executeQuietly(Class<?> testClass) {
        LauncherFactory.create().execute(request(List.of(selectClass(testClass)), null));
    }

    private static LauncherDiscoveryRequest request(List<DiscoverySelector> selectors, PostDiscoveryFilter filter) {
        LauncherDiscoveryRequestBuilder b = LauncherDiscoveryRequestBuilder.request();
        if (filter != null) {
            b.filters(filter);
        }
        return b.selectors(selectors)
                // Autodetected: ContinueFrom only (META-INF/services), which skips what earlier VMs ran.
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                // A fixed order: the host resumes after a crash by index into it.
                .configurationParameter("junit.jupiter.testclass.order.default",
                        "org.junit.jupiter.api.ClassOrderer$ClassName")
                .configurationParameter("junit.jupiter.testmethod.order.default",
                        "org.junit.jupiter.api.MethodOrderer$MethodName")
                .build();
    }

    static boolean matchesAny(String id, List<String> globs) {
        return TestSelection.matchesAny(id, globs);
    }

    static String globToRegex(String glob) {
        return TestSelection.globToRegex(glob);
    }

    static List<String> splitList(String s) {
        return TestSelection.globs(s);
    }

    private static String readOr(String path, String fallback) {
        try {
            return Files.readString(Path.of(path)).trim();
        } catch (IOException e) {
            return fallback;
        }
    }
}
