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

    public KernelBuilder(CacheDir cache) {
        this.cache = cache;
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
    }

    public KernelBuild build(KernelSpec spec) {
        PreparedSource source = new SourceTrees(cache).prepare(spec);
        KconfigFragment fragment = fragmentFor(spec);
        Inputs in = new Inputs(spec, source, fragment, firstLine(List.of("gcc", "--version")),
                firstLine(List.of("make", "--version")), Runtime.getRuntime().availableProcessors());
        String key = in.key().hex();
        Path kernels = cache.dir("kernels");
        Path entry = kernels.resolve(spec.name() + "-" + source.version().replaceAll("[^A-Za-z0-9.+-]", "_")
                + "-" + key.substring(0, 12));
        Path cached = findByKey(kernels, key.substring(0, 12));
        if (cached != null) {
            Progress.info("kernel", spec.name() + ": cached build " + cached);
            return new KernelBuild(cached);
        }
        CacheDir.sweepTemporaries(kernels);
        Path logs = cache.dir("logs", entry.getFileName().toString());
        CacheDir.publish(entry, tmp -> buildInto(tmp, source.tree(), in, logs, key));
        return new KernelBuild(entry);
    }

    /**
     * Configures in a temporary directory and verifies the requested symbols, without building or
     * touching the cache: a quick check of a profile or --config option. Throws like a build would.
     */
    public int configureOnly(KernelSpec spec) throws IOException {
        PreparedSource source = new SourceTrees(cache).prepare(spec);
        KconfigFragment fragment = fragmentFor(spec);
        Path tmp = Files.createTempDirectory("hmmtest-config-");
        try {
            configure(tmp, source.tree(), fragment, tmp.resolve("config.log"));
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

    private void buildInto(Path out, Path source, Inputs in, Path logs, String key) throws IOException {
        Instant started = Instant.now();
        Path build = out.resolve(".build");
        Files.createDirectories(build);
        String o = "O=" + build;
        configure(out, source, in.fragment(), logs.resolve("config.log"));
        Path buildLog = logs.resolve("build.log");
        Files.deleteIfExists(buildLog);
        try (Progress.Phase p = Progress.start("kernel", "build bzImage + modules (make -j" + in.jobs() + ")")) {
            Exec.Result r = Exec.run(List.of("make", "-C", source.toString(), o, "-j" + in.jobs(), "bzImage", "modules"),
                    null, buildLog, Map.of());
            if (r.exitCode() != 0) {
                p.fail();
                throw new HarnessException(ExitCode.BUILD_FAILED, "kernel build failed, log: " + buildLog + "\n"
                        + r.tail(30));
            }
        }
        String release = firstLine(List.of("make", "-s", "-C", source.toString(), o, "kernelrelease"));
        String selftest = UpstreamSelftest.build(source, build, out.resolve("hmm-tests"), logs.resolve("selftest.log"));
        Files.copy(build.resolve("arch/x86/boot/bzImage"), out.resolve("bzImage"));
        Files.copy(build.resolve("lib/test_hmm.ko"), out.resolve("test_hmm.ko"));
        Files.copy(build.resolve(".config"), out.resolve("config"));
        Files.copy(build.resolve("System.map"), out.resolve("System.map"));
        // The upstream selftest and UAPI header of this very tree: the parity check reads them.
        Path upstream = Files.createDirectories(out.resolve("upstream"));
        Files.copy(source.resolve("tools/testing/selftests/mm/hmm-tests.c"), upstream.resolve("hmm-tests.c"));
        Files.copy(source.resolve("lib/test_hmm_uapi.h"), upstream.resolve("test_hmm_uapi.h"));
        Files.copy(buildLog, out.resolve("build.log"), StandardCopyOption.REPLACE_EXISTING);
        CacheDir.deleteQuietly(build);
        writeManifest(out, in, key, release, selftest, started);
    }

    private static void writeManifest(Path out, Inputs in, String key, String release, String selftest,
            Instant started) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("variant", in.spec().name());
        m.put("description", in.spec().description());
        m.put("key", key);
        m.put("base", in.spec().base().describe());
        m.put("source", in.source().baseIdentity());
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
        Map<String, String> artifacts = new LinkedHashMap<>();
        for (String a : List.of("bzImage", "test_hmm.ko", "config", "System.map", "hmm-tests")) {
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

    /** tinyconfig + fragment, olddefconfig, then every requested symbol must have its value. */
    private static void configure(Path out, Path source, KconfigFragment fragment, Path configLog) throws IOException {
        Path build = out.resolve(".build");
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
