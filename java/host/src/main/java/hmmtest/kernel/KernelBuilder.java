package hmmtest.kernel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import hmmtest.infra.CacheDir;
import hmmtest.infra.Exec;
import hmmtest.infra.ExitCode;
import hmmtest.infra.HarnessException;
import hmmtest.infra.Hashing;
import hmmtest.infra.Progress;
import hmmtest.infra.Project;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds bzImage and test_hmm.ko for a variant: tinyconfig + profile fragments, olddefconfig,
 * verification of every requested symbol, then make. The result is cached under a key made of
 * everything that affects it; a second run finds it and builds nothing.
 */
public final class KernelBuilder {
    /** Bump when the build recipe below changes, so old cache entries are not reused. */
    static final int RECIPE = 2;

    private final CacheDir cache;
    private final boolean cleanBuild;

    public KernelBuilder(CacheDir cache) {
        this(cache, false);
    }

    /** {@code cleanBuild}: start from an empty build directory and replace a published build of the same key. */
    public KernelBuilder(CacheDir cache, boolean cleanBuild) {
        this.cache = cache;
        this.cleanBuild = cleanBuild;
    }

    /** What a build is made of; its hash names the cache entry. */
    record Inputs(KernelSpec spec, PreparedSource source, KconfigFragment fragment, String compiler, String make,
            int jobs) {
        Hashing.Key key() {
            Hashing.Key k = new Hashing.Key().add("recipe", RECIPE);
            source.addTo(k);
            k.add("fragment", Hashing.sha256(fragment.render()))
                    .add("compiler", compiler)
                    .add("make", make);
            if (!toolchain().equals("local")) { // container backend: same gcc version line, other toolchain
                k.add("toolchain", toolchain()); // (only then, so local keys stay as they were)
            }
            return k.add("arch", "x86_64");
        }

        /** The kept build directory's name: what makes objects of one build reusable by the next (not the series). */
        String workspaceName() {
            Hashing.Key k = new Hashing.Key().add("recipe", RECIPE)
                    .add("fragment", Hashing.sha256(fragment.render()))
                    .add("compiler", compiler).add("make", make).add("toolchain", toolchain());
            return "build-" + k.hex().substring(0, 12);
        }
    }

    public KernelBuild build(KernelSpec spec) {
        if (spec.base() instanceof KernelBase.Prebuilt p) {
            return PrebuiltKernel.load(cache, spec, p, fragmentFor(spec));
        }
        PreparedSource source = new SourceTrees(cache).prepare(spec);
        KconfigFragment fragment = fragmentFor(spec);
        Inputs in = new Inputs(spec, source, fragment, firstLine(List.of("gcc", "--version")),
                firstLine(List.of("make", "--version")), Runtime.getRuntime().availableProcessors());
        String key = in.key().hex();
        Path kernels = cache.dir("kernels");
        Path entry = kernels.resolve(spec.name() + "-" + source.version().replaceAll("[^A-Za-z0-9.+-]", "_")
                + "-" + key.substring(0, 12));
        Path cached = findByKey(kernels, key.substring(0, 12));
        if (cached != null && cleanBuild) {
            Progress.info("kernel", "--clean-build: replacing the cached build " + cached);
            CacheDir.deleteQuietly(cached);
            cached = null;
        }
        if (cached != null && !new KernelBuild(cached).verifyOrDiscard()) {
            cached = null; // damaged since it was built: built again below (incrementally, from the kept directory)
        }
        if (cached != null && "y".equals(fragment.values().get("CONFIG_GCOV_KERNEL"))
                && new KernelBuild(cached).gcovDir().isEmpty()) {
            // a coverage build is only usable with its gcov notes (kept since 2026-12-04): built again, incrementally
            Progress.info("kernel", "the cached coverage build " + cached + " has no gcov notes: building it again");
            CacheDir.deleteQuietly(cached);
            cached = null;
        }
        if (cached != null) {
            Progress.info("kernel", spec.name() + ": cached build " + cached + " (artifacts match its manifest)");
            return new KernelBuild(cached);
        }
        CacheDir.sweepTemporaries(kernels);
        Path logs = cache.dir("logs", entry.getFileName().toString());
        CacheDir.publish(entry, tmp -> {
            try (BuildWorkspace ws = BuildWorkspace.open(source.mirror(), in.workspaceName(), cleanBuild)) {
                syncMirror(source);
                checkKnown(spec, source.mirror().tree());
                buildInto(tmp, ws, source.mirror(), in, logs, key);
            }
        });
        return new KernelBuild(entry);
    }

    /**
     * Configures in a temporary directory and verifies the requested symbols, without building or
     * touching the cache: a quick check of a profile or --config option. Throws like a build would.
     */
    public int configureOnly(KernelSpec spec) throws IOException {
        if (spec.base() instanceof KernelBase.Prebuilt p) {
            PrebuiltKernel.verify(p, fragmentFor(spec));
            return fragmentFor(spec).values().size();
        }
        PreparedSource source = new SourceTrees(cache).prepare(spec);
        KconfigFragment fragment = fragmentFor(spec);
        Path tmp = Files.createTempDirectory("hmmtest-config-");
        try (BuildWorkspace ws = BuildWorkspace.open(source.mirror(), "config-only", false)) {
            syncMirror(source);
            checkKnown(spec, source.mirror().tree());
            configure(tmp, tmp.resolve(".build"), source.mirror().tree(), fragment, tmp.resolve("config.log"));
            return fragment.values().size();
        } finally {
            CacheDir.deleteQuietly(tmp);
        }
    }

    static KconfigFragment fragmentFor(KernelSpec spec) {
        KconfigFragment f = null;
        for (String profile : spec.profiles()) {
            KconfigFragment p = KconfigFragment.read(Project.kernelConfig(profile));
            f = f == null ? p : f.merge(p);
        }
        if (!spec.extraConfig().isEmpty()) {
            f = f.merge(KconfigFragment.parse("command line", String.join("\n", spec.extraConfig())));
        }
        return f;
    }

    /** A --config symbol this tree does not define is a typo: exit 2 before anything is configured. */
    static void checkKnown(KernelSpec spec, Path tree) {
        if (spec.extraConfig().isEmpty()) {
            return;
        }
        KconfigFragment asked = KconfigFragment.parse("command line", String.join("\n", spec.extraConfig()));
        KconfigIndex index = KconfigIndex.scan(tree);
        List<String> unknown = asked.values().keySet().stream().filter(s -> !index.exists(s)).toList();
        if (!unknown.isEmpty()) {
            throw new HarnessException(ExitCode.USAGE, "unknown Kconfig symbol(s) in --config: " + String.join(", ", unknown)
                    + " (not defined by any Kconfig file of this kernel)");
        }
    }

    private static void syncMirror(PreparedSource source) {
        try (Progress.Phase p = Progress.start("kernel", "sync the working copy " + source.mirror().tree())) {
            SourceMirror.SyncStats st = source.sync();
            Progress.info("kernel", "working copy: " + st);
        }
    }

    private void buildInto(Path out, BuildWorkspace ws, SourceMirror mirror, Inputs in, Path logs, String key)
            throws IOException {
        Instant started = Instant.now();
        Path source = mirror.tree();
        Path build = ws.dir();
        boolean cold = ws.fresh();
        String o = "O=" + build;
        FileTime since = ws.begin(); // from here until make exits by itself, a kill leaves the marker
        try {
            configureKept(out, ws, mirror, in.fragment(), logs.resolve("config.log"));
        } catch (HarnessException e) { // a clean refusal (a dropped symbol, exit 6): nothing half-written
            ws.end();
            throw e;
        }
        Path buildLog = logs.resolve("build.log");
        Files.deleteIfExists(buildLog);
        long objects;
        Instant makeStarted = Instant.now();
        try (Progress.Phase p = Progress.start("kernel", (cold ? "cold build" : "incremental build in " + build)
                + ": bzImage + modules (make -j" + in.jobs() + ")")) {
            List<String> make = new ArrayList<>(List.of("make", "-C", source.toString(), o, "-j" + in.jobs()));
            make.addAll(in.fragment().makeArgs());
            make.addAll(List.of("bzImage", "modules"));
            Exec.Result r = Exec.run(make, null, buildLog, Map.of());
            if (r.exitCode() < 128) {
                ws.end(); // make finished (a compile error included): kbuild left nothing half-written
            }
            if (r.exitCode() != 0) {
                p.fail();
                throw new HarnessException(ExitCode.BUILD_FAILED, "kernel build failed, log: " + buildLog + "\n"
                        + r.tail(30));
            }
            objects = ws.objectsWrittenSince(since);
        }
        double makeSeconds = (Instant.now().toEpochMilli() - makeStarted.toEpochMilli()) / 1000.0;
        Progress.always("[kernel] " + (cold ? "cold" : "incremental") + " build: " + objects + " object(s) compiled in "
                + String.format("%.1f", makeSeconds) + " s");
        String release = firstLine(List.of("make", "-s", "-C", source.toString(), o, "kernelrelease"));
        String selftest = UpstreamSelftest.build(source, build, out.resolve("hmm-tests"), logs.resolve("selftest.log"));
        Files.copy(build.resolve("arch/x86/boot/bzImage"), out.resolve("bzImage"));
        Files.copy(build.resolve("lib/test_hmm.ko"), out.resolve("test_hmm.ko"));
        Files.copy(build.resolve(".config"), out.resolve("config"));
        Files.copy(build.resolve("System.map"), out.resolve("System.map"));
        if (Files.readString(build.resolve(".config")).contains("\nCONFIG_DEBUG_INFO=y")) {
            // DWARF line tables (PROFILE=debug): crash excerpts get file:line for their frames (console/FrameDecoder)
            Files.copy(build.resolve("vmlinux"), out.resolve("vmlinux"));
        }
        if ("y".equals(in.fragment().values().get("CONFIG_GCOV_KERNEL"))) {
            // the coverage profile: gcov's notes and the sources, for the counters the guest sends back
            List<String> kept = GcovNotes.keep(build, source, out.resolve(KernelBuild.GCOV_DIR));
            Progress.info("kernel", "coverage: gcov notes of " + kept.size() + " instrumented object(s) kept");
        }
        // The upstream selftest and UAPI header of this very tree: the parity check reads them.
        Path upstream = Files.createDirectories(out.resolve("upstream"));
        Files.copy(source.resolve("tools/testing/selftests/mm/hmm-tests.c"), upstream.resolve("hmm-tests.c"));
        Files.copy(source.resolve("lib/test_hmm_uapi.h"), upstream.resolve("test_hmm_uapi.h"));
        Files.copy(buildLog, out.resolve("build.log"), StandardCopyOption.REPLACE_EXISTING);
        writeManifest(out, in, key, release, selftest, started, new BuildFacts(cold, objects, makeSeconds));
    }

    /** How the build went: cold or incremental, objects compiled, make's wall time. */
    record BuildFacts(boolean cold, long objects, double makeSeconds) {}

    private static void writeManifest(Path out, Inputs in, String key, String release, String selftest,
            Instant started, BuildFacts facts) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("variant", in.spec().name());
        m.put("description", in.spec().description());
        m.put("key", key);
        m.put("base", in.spec().base().describe());
        m.put("source", in.source().baseIdentity());
        m.put("sourceTree", in.source().base().toString());
        List<Map<String, Object>> series = new ArrayList<>();
        if (in.source().series() != null) {
            in.source().series().patches().forEach(p -> {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("index", p.index());
                e.put("subject", p.subject());
                e.put("tag", p.tag());
                e.put("author", String.valueOf(p.author()));
                e.put("sha256", p.sha256());
                e.put("files", p.files());
                series.add(e);
            });
            m.put("seriesFile", in.spec().series().toString());
        }
        m.put("series", series);
        m.put("excludes", in.source().applyReport() != null ? in.source().applyReport().excludes() : in.spec().excludes());
        m.put("apply", in.source().applyReport() == null ? null : in.source().applyReport().patches());
        m.put("profiles", in.spec().profiles());
        m.put("extraConfig", in.spec().extraConfig());
        m.put("requestedSymbols", in.fragment().values());
        m.put("configSha256", Hashing.sha256(out.resolve("config")));
        m.put("compiler", in.compiler());
        m.put("make", in.make());
        m.put("toolchain", toolchain());
        m.put("kernelRelease", release);
        m.put("selftest", selftest);
        m.put("builtAt", Instant.now().toString());
        m.put("buildSeconds", (Instant.now().toEpochMilli() - started.toEpochMilli()) / 1000.0);
        m.put("buildKind", facts.cold() ? "cold" : "incremental");
        m.put("objectsCompiled", facts.objects());
        m.put("makeSeconds", facts.makeSeconds());
        Map<String, String> artifacts = new LinkedHashMap<>();
        for (String a : List.of("bzImage", "test_hmm.ko", "config", "System.map", "hmm-tests", "vmlinux")) {
            if (Files.isRegularFile(out.resolve(a))) {
                artifacts.put(a, Hashing.sha256(out.resolve(a)));
            }
        }
        m.put("artifacts", artifacts);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("manifest.json").toFile(), m);
    }

    /** Where the compiler comes from: {@code $HMMTEST_TOOLCHAIN} (set by the container backend), else local. */
    static String toolchain() {
        String t = System.getenv("HMMTEST_TOOLCHAIN");
        return t == null || t.isBlank() ? "local" : t;
    }

    /** What a configuration follows from: the fragment, and every Kconfig file and defconfig fragment of the tree. */
    static boolean configInput(String rel) {
        String name = rel.substring(rel.lastIndexOf('/') + 1);
        return name.startsWith("Kconfig") || rel.contains("/configs/") || rel.equals("Makefile");
    }

    /**
     * In a kept build directory the configuration is redone only when what it follows from
     * changed (configuring costs 15 s here; a series rarely touches Kconfig): the stamp names the
     * fragment and the Kconfig content it was made from. The kept .config is verified either way.
     */
    private static void configureKept(Path out, BuildWorkspace ws, SourceMirror mirror, KconfigFragment fragment,
            Path configLog) throws IOException {
        Path stampFile = ws.dir().resolve(".hmmtest-config-stamp");
        Path source = mirror.tree();
        String stamp = Hashing.sha256(fragment.render() + "\n" + mirror.stamp(KernelBuilder::configInput));
        if (Files.isRegularFile(ws.dir().resolve(".config")) && Files.isRegularFile(stampFile)
                && Files.readString(stampFile).strip().equals(stamp)) {
            verify(source, fragment, ws.dir());
            Files.writeString(out.resolve("fragment.config"), fragment.render());
            Progress.info("kernel", "configuration kept: fragment and Kconfig files unchanged since it was made");
            return;
        }
        Files.deleteIfExists(stampFile);
        configure(out, ws.dir(), source, fragment, configLog);
        Files.writeString(stampFile, stamp + "\n");
    }

    /** tinyconfig + fragment, olddefconfig, then every requested symbol must have its value. */
    private static void configure(Path out, Path build, Path source, KconfigFragment fragment, Path configLog)
            throws IOException {
        Files.createDirectories(build);
        String o = "O=" + build;
        Files.deleteIfExists(configLog);
        try (Progress.Phase p = Progress.start("kernel", "configure: tinyconfig + " + fragment.name())) {
            Exec.check(List.of("make", "-C", source.toString(), o, "tinyconfig"), null, configLog,
                    ExitCode.BUILD_FAILED, "make tinyconfig");
            Path frag = out.resolve("fragment.config");
            Files.writeString(frag, fragment.render());
            Exec.check(List.of(source.resolve("scripts/kconfig/merge_config.sh").toString(), "-m", "-O",
                    build.toString(), build.resolve(".config").toString(), frag.toString()),
                    build, configLog, ExitCode.BUILD_FAILED, "merge_config.sh");
            Exec.check(List.of("make", "-C", source.toString(), o, "olddefconfig"), null, configLog,
                    ExitCode.BUILD_FAILED, "make olddefconfig");
        }
        verify(source, fragment, build);
    }

    /** Every requested symbol must have its requested value in the build directory's .config. */
    private static void verify(Path source, KconfigFragment fragment, Path build) {
        Map<String, String> dotConfig = KconfigFragment.readDotConfig(build.resolve(".config"));
        List<ConfigVerifier.Rejected> rejected = ConfigVerifier.verify(fragment, dotConfig, null);
        if (!rejected.isEmpty()) {
            KconfigIndex index = KconfigIndex.scan(source);
            rejected = ConfigVerifier.verify(fragment, dotConfig, index);
            StringBuilder msg = new StringBuilder("Kconfig dropped " + rejected.size()
                    + " requested symbol(s) after olddefconfig:");
            rejected.forEach(r -> msg.append("\n  ").append(r));
            throw new HarnessException(ExitCode.CONFIG_REJECTED, msg.toString());
        }
        Progress.info("kernel", "config verified: all " + fragment.values().size() + " requested symbols present");
    }

    static String firstLine(List<String> cmd) {
        String out = Exec.capture(cmd);
        if (out == null || out.isBlank()) {
            throw new HarnessException(ExitCode.MISSING_HOST_TOOLS, "cannot run: " + String.join(" ", cmd));
        }
        return out.lines().findFirst().orElse("").trim();
    }

    /** An existing build with the same inputs, whatever name it was built under (e.g. seed-v1). */
    private static Path findByKey(Path kernels, String key12) {
        try (var s = Files.list(kernels)) {
            return s.filter(p -> p.getFileName().toString().endsWith("-" + key12))
                    .filter(p -> Files.isRegularFile(p.resolve("manifest.json")))
                    .findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** Cached builds, newest first. */
    public List<KernelBuild> list() {
        List<KernelBuild> out = new ArrayList<>();
        try (var s = Files.list(cache.dir("kernels"))) {
            s.filter(p -> Files.isRegularFile(p.resolve("manifest.json")))
                    .sorted((a, b) -> Long.compare(b.toFile().lastModified(), a.toFile().lastModified()))
                    .forEach(p -> out.add(new KernelBuild(p)));
        } catch (IOException e) {
            throw new HarnessException(ExitCode.INCOMPLETE, "cannot list " + cache.root() + ": " + e.getMessage());
        }
        return out;
    }
}
