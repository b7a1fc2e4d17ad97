package hmmtest.kernel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import hmmtest.infra.CacheDir;
import hmmtest.infra.ExitCode;
import hmmtest.infra.HarnessException;
import hmmtest.infra.Hashing;
import hmmtest.infra.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A kernel built elsewhere (KernelCI, LKP, tuxmake, a distribution's build farm): a bzImage and
 * its test_hmm.ko, optionally its .config. Nothing is built. Before anything boots, the module's
 * vermagic must name the kernel's release (a module from another kernel would fail to load in
 * the guest, far from the cause), and a given config must hold every symbol the suite needs
 * (the same verifier as for our own builds). The files are then imported as a cache entry like
 * any build, so the image, the VM and the reports treat them alike.
 */
public final class PrebuiltKernel {
    private PrebuiltKernel() {}

    /** The release a bzImage announces in its x86 boot header ({@code kernel_version}), e.g. {@code 7.3.4}. */
    public static String bzImageRelease(Path bzImage) {
        byte[] b = read(bzImage);
        // Boot protocol: "HdrS" at 0x202; kernel_version (u16 at 0x20e) points at a NUL-terminated
        // string 0x200 bytes before the offset it gives.
        if (b.length < 0x210 || !new String(b, 0x202, 4, StandardCharsets.ISO_8859_1).equals("HdrS")) {
            throw new HarnessException(ExitCode.USAGE, bzImage + " is not an x86 bzImage (no 'HdrS' boot header)");
        }
        int ptr = (b[0x20e] & 0xff) | (b[0x20f] & 0xff) << 8;
        int at = ptr + 0x200;
        if (ptr == 0 || at >= b.length) {
            throw new HarnessException(ExitCode.USAGE, bzImage + " has no kernel version string in its boot header");
        }
        int end = at;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        String version = new String(b, at, end - at, StandardCharsets.ISO_8859_1).trim();
        return version.split("\\s+")[0];
    }

    /** The release a module was built for: the first word of its {@code vermagic=} modinfo. */
    public static String moduleRelease(Path module) {
        byte[] b = read(module);
        if (b.length < 4 || b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F') {
            throw new HarnessException(ExitCode.USAGE, module + " is not a kernel module (not an ELF file)");
        }
        String text = new String(b, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("vermagic=");
        if (at < 0) {
            throw new HarnessException(ExitCode.USAGE, module + " is not a kernel module (no vermagic in its modinfo)");
        }
        int end = text.indexOf('\0', at);
        return text.substring(at + "vermagic=".length(), end < 0 ? text.length() : end).trim().split("\\s+")[0];
    }

    /** Checks the three files fit together and the suite's needs; every refusal comes before any boot. */
    static String verify(KernelBase.Prebuilt p, KconfigFragment fragment) {
        for (Path f : p.config() == null ? List.of(p.bzImage(), p.module()) : List.of(p.bzImage(), p.module(), p.config())) {
            if (!Files.isRegularFile(f)) {
                throw new HarnessException(ExitCode.USAGE, "prebuilt kernel: " + f + " does not exist");
            }
        }
        String kernel = bzImageRelease(p.bzImage());
        String module = moduleRelease(p.module());
        if (!kernel.equals(module)) {
            throw new HarnessException(ExitCode.USAGE, "prebuilt kernel: the module does not fit the kernel: "
                    + p.module() + " was built for " + module + ", " + p.bzImage() + " is " + kernel
                    + " (the guest would refuse to load it)");
        }
        if (p.config() != null) {
            Map<String, String> dotConfig = KconfigFragment.readDotConfig(p.config());
            List<ConfigVerifier.Rejected> missing = ConfigVerifier.verify(fragment, dotConfig, null);
            if (!missing.isEmpty()) {
                StringBuilder msg = new StringBuilder("prebuilt kernel: " + p.config() + " lacks " + missing.size()
                        + " symbol(s) the suite needs (kernel-config/" + fragment.name() + "):");
                missing.forEach(r -> msg.append("\n  ").append(r.symbol()).append('=').append(r.requested())
                        .append(" needed, the config has ").append(r.actual().equals("n") ? "it not set" : r.actual()));
                throw new HarnessException(ExitCode.CONFIG_REJECTED, msg.toString());
            }
            Progress.info("kernel", "prebuilt config verified: all " + fragment.values().size() + " symbols the suite needs");
        } else {
            Progress.always("[kernel] prebuilt kernel without a config (KCONFIG=): the suite's Kconfig needs are not verified");
        }
        return kernel;
    }

    /** For commands that plan several kernels: refuses a prebuilt one that does not fit before anything is built. */
    public static void check(KernelSpec spec) {
        if (spec.base() instanceof KernelBase.Prebuilt p) {
            verify(p, KernelBuilder.fragmentFor(spec));
        }
    }

    /** Verifies, then imports the files as a cache entry (found again by content next time). */
    static KernelBuild load(CacheDir cache, KernelSpec spec, KernelBase.Prebuilt p, KconfigFragment fragment) {
        String release = verify(p, fragment);
        Hashing.Key key = new Hashing.Key().add("prebuilt", 1)
                .add("bzImage", Hashing.sha256(p.bzImage()))
                .add("module", Hashing.sha256(p.module()))
                .add("config", p.config() == null ? "none" : Hashing.sha256(p.config()));
        Path entry = cache.dir("kernels").resolve("prebuilt-" + release.replaceAll("[^A-Za-z0-9.+-]", "_") + "-"
                + key.hex().substring(0, 12));
        if (Files.isRegularFile(entry.resolve("manifest.json"))) {
            new KernelBuild(entry).verifyOrDiscard(); // damaged since it was imported: imported again below
        }
        CacheDir.sweepTemporaries(entry.getParent());
        CacheDir.publish(entry, tmp -> {
            Files.copy(p.bzImage(), tmp.resolve("bzImage"));
            Files.copy(p.module(), tmp.resolve("test_hmm.ko"));
            if (p.config() != null) {
                Files.copy(p.config(), tmp.resolve("config"));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("variant", spec.name());
            m.put("description", "prebuilt: " + p.bzImage() + " + " + p.module());
            m.put("key", key.hex());
            m.put("base", p.describe());
            Map<String, String> source = new LinkedHashMap<>();
            source.put("prebuilt", p.bzImage().toString());
            source.put("module", p.module().toString());
            m.put("source", source);
            m.put("series", List.of());
            m.put("requestedSymbols", p.config() == null ? Map.of() : fragment.values());
            m.put("configSha256", p.config() == null ? "" : Hashing.sha256(p.config()));
            m.put("kernelRelease", release);
            m.put("selftest", "not run: a prebuilt kernel comes without its source tree");
            m.put("builtAt", Instant.now().toString());
            m.put("buildKind", "prebuilt");
            Map<String, String> artifacts = new LinkedHashMap<>();
            for (String a : List.of("bzImage", "test_hmm.ko", "config")) {
                if (Files.isRegularFile(tmp.resolve(a))) {
                    artifacts.put(a, Hashing.sha256(tmp.resolve(a)));
                }
            }
            m.put("artifacts", artifacts);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.resolve("manifest.json").toFile(), m);
        });
        Progress.info("kernel", "prebuilt kernel " + release + ": " + entry);
        return new KernelBuild(entry);
    }

    private static byte[] read(Path f) {
        if (!Files.isRegularFile(f)) {
            throw new HarnessException(ExitCode.USAGE, "prebuilt kernel: " + f + " does not exist");
        }
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
