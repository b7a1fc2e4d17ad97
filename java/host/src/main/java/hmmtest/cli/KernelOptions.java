package hmmtest.cli;

import hmmtest.kernel.KernelBase;
import hmmtest.kernel.KernelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by every command that needs a kernel: which base, which series, which config. */
public final class KernelOptions {
    @Option(names = "--variant", paramLabel = "NAME",
            description = "Shipped kernel: merged (default), baseline or seed-v1.")
    String variant;

    @Option(names = "--base", paramLabel = "VARIANT|debian:PKG[=VERSION]|PATH",
            description = "Base to build instead of a variant: a variant name, a Debian source package, "
                    + "or a kernel tree on disk (built out of tree; the tree stays clean).")
    String base;

    @Option(names = "--series", paramLabel = "FILE|DIR",
            description = "Patch series to apply: git format-patch file, mbox, directory of .patch files, "
                    + "or a mailing-list/patchwork page saved as text.")
    Path series;

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Skip these paths of the series (repeatable).")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--debian-version", paramLabel = "DEBIAN_VERSION",
            description = "Pin the Debian source version (e.g. 7.3.4-1~bpo13+1); default: newest.")
    String version;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "Extra Kconfig profile from kernel-config/ (repeatable): debug, kasan.")
    List<String> profiles = new ArrayList<>();

    @Option(names = "--coverage", description = "Kernel coverage: build with the coverage profile (gcov for"
            + " lib/test_hmm.c and the mm files HMM runs through), boot every VM cold, and write coverage/index.html"
            + " (lcov) with a line per file.")
    boolean coverage;

    @Option(names = "--config", paramLabel = "CONFIG_X=y",
            description = "Extra Kconfig option (repeatable); verified like the profile's.")
    List<String> extraConfig = new ArrayList<>();

    @Option(names = "--kernel", paramLabel = "BZIMAGE",
            description = "A kernel built elsewhere: boot this bzImage (with --module; nothing is built).")
    Path kernel;

    @Option(names = "--module", paramLabel = "TEST_HMM_KO", description = "The prebuilt kernel's test_hmm.ko.")
    Path module;

    @Option(names = "--kernel-config", paramLabel = "DOTCONFIG",
            description = "The prebuilt kernel's .config: checked for every symbol the suite needs.")
    Path kernelConfig;

    @Option(names = "--clean-build", description = "Build from an empty build directory (the kept one is discarded).")
    boolean cleanBuild;

    KernelSpec resolve() {
        KernelSpec spec;
        if (coverage) {
            if (kernel != null || module != null) {
                throw new IllegalArgumentException("--coverage needs a kernel hmmtest builds (a prebuilt kernel has no gcov"
                        + " notes to read its counters with)");
            }
            hmmtest.coverage.CoverageReport.requireTools();
            if (!profiles.contains(hmmtest.coverage.CoverageReport.PROFILE)) {
                profiles.add(hmmtest.coverage.CoverageReport.PROFILE);
            }
        }
        if (kernel != null || module != null || kernelConfig != null) {
            return prebuilt();
        }
        if (base != null && !base.isBlank()) {
            if (KernelSpec.shipped().containsKey(base)) {
                spec = KernelSpec.variant(base, series).named(series != null ? base + "+series" : base);
            } else {
                spec = new KernelSpec(series != null ? "custom+series" : "custom", KernelBase.parse(base), series,
                        List.of(), List.of("hmm"), List.of(), "base " + base);
            }
            if (variant != null) {
                throw new IllegalArgumentException("give --variant or --base, not both");
            }
        } else {
            spec = KernelSpec.variant(variant == null ? KernelSpec.DEFAULT : variant, series);
        }
        spec = spec.withSeries(spec.series(), excludes).withConfig(profiles, extraConfig);
        if (version != null && !version.isBlank()) {
            spec = spec.withVersion(version.startsWith("=") ? version.substring(1) : version);
        }
        return spec;
    }

    private KernelSpec prebuilt() {
        if (kernel == null || module == null) {
            throw new IllegalArgumentException("a prebuilt kernel needs both --kernel BZIMAGE and --module TEST_HMM_KO"
                    + " (make: KERNEL=... MODULE=...)");
        }
        if (base != null || variant != null || series != null) {
            throw new IllegalArgumentException("--kernel/--module boot a prebuilt kernel: --variant, --base and --series"
                    + " do not apply to it");
        }
        KernelSpec spec = KernelSpec.prebuilt("prebuilt", kernel, module, kernelConfig);
        return spec.withConfig(profiles, extraConfig);
    }

    /** True when the kept build directory must not be reused. */
    boolean cleanBuild() {
        return cleanBuild;
    }

    /** The same kernel as `make` variables, for rerun lines: VARIANT=..., or BASE=... SERIES=... and the rest. */
    String makeArgs() {
        List<String> out = new ArrayList<>();
        if (kernel != null) {
            out.add(makeVar("KERNEL", kernel.toAbsolutePath().normalize().toString()));
            out.add(makeVar("MODULE", module == null ? "" : module.toAbsolutePath().normalize().toString()));
            if (kernelConfig != null) {
                out.add(makeVar("KCONFIG", kernelConfig.toAbsolutePath().normalize().toString()));
            }
            return String.join(" ", out);
        }
        out.add(base != null ? makeVar("BASE", base) : makeVar("VARIANT", label()));
        if (series != null) {
            out.add(makeVar("SERIES", series.toAbsolutePath().normalize().toString()));
        }
        if (!excludes.isEmpty()) {
            out.add(makeVar("EXCLUDE", String.join(" ", excludes)));
        }
        if (!profiles.isEmpty()) {
            out.add(makeVar("PROFILE", String.join(" ", profiles)));
        }
        if (!extraConfig.isEmpty()) {
            out.add(makeVar("CONFIG", String.join(" ", extraConfig)));
        }
        if (version != null && !version.isBlank()) {
            out.add(makeVar("VERSION", version));
        }
        return String.join(" ", out);
    }

    /** The same kernel as options of another hmmtest command line (bench-fuzz runs engines as child processes). */
    List<String> cliArgs() {
        List<String> out = new ArrayList<>();
        if (kernel != null) {
            out.addAll(List.of("--kernel", kernel.toAbsolutePath().normalize().toString()));
            if (module != null) {
                out.addAll(List.of("--module", module.toAbsolutePath().normalize().toString()));
            }
            if (kernelConfig != null) {
                out.addAll(List.of("--kernel-config", kernelConfig.toAbsolutePath().normalize().toString()));
            }
            return out;
        }
        out.addAll(base != null ? List.of("--base", base) : List.of("--variant", label()));
        if (series != null) {
            out.addAll(List.of("--series", series.toAbsolutePath().normalize().toString()));
        }
        excludes.forEach(e -> out.addAll(List.of("--exclude", e)));
        profiles.forEach(p -> out.addAll(List.of("--profile", p)));
        extraConfig.forEach(c -> out.addAll(List.of("--config", c)));
        if (version != null && !version.isBlank()) {
            out.addAll(List.of("--debian-version", version));
        }
        if (coverage) {
            out.add("--coverage");
        }
        return out;
    }

    /** NAME=value as one shell word: globs, spaces and quotes in the value survive pasting. */
    static String makeVar(String name, String value) {
        return hmmtest.infra.Project.shellQuote(name + "=" + value);
    }

    String label() {
        if (kernel != null) {
            return "prebuilt";
        }
        return base != null ? base : variant == null ? KernelSpec.DEFAULT : variant;
    }
}
