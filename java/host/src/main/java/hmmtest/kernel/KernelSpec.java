package hmmtest.kernel;

import hmmtest.infra.Project;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A kernel to build: a base, an optional patch series applied to it (minus excluded paths), and
 * the Kconfig profiles and extra options that configure it.
 */
public record KernelSpec(String name, KernelBase base, Path series, List<String> excludes, List<String> profiles,
        List<String> extraConfig, String description) {

    public static final String DEFAULT = "merged";
    /** The v1 03/12 patch page every developer and CI machine has; the product never requires it. */
    static final String SEED_PAGE = "../shared/seeds/000_1a6c719d5a68ab02.txt";

    public KernelSpec {
        excludes = List.copyOf(excludes);
        profiles = List.copyOf(profiles);
        extraConfig = List.copyOf(extraConfig);
    }

    /** The variants the project ships. seed-v1's series is a path the user (or the tests) pass in. */
    public static Map<String, String> shipped() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("merged", "Debian linux-source-7.x (trixie-backports): contains the make_device_exclusive() series");
        m.put("baseline", "Debian linux-source-6.12 (bookworm): before the series, has make_device_exclusive_range()");
        m.put("seed-v1", "baseline + v1 03/12 'mm/rmap: convert make_device_exclusive_range() to "
                + "make_device_exclusive()' (Documentation/ excluded: its zh_CN hunk does not apply)");
        return m;
    }

    /** A shipped variant; {@code series} overrides (or, for seed-v1, supplies) its series. */
    public static KernelSpec variant(String name, Path series) {
        String d = shipped().get(name);
        if (d == null) {
            throw new IllegalArgumentException("unknown variant '" + name + "'; known: " + String.join(", ", shipped().keySet()));
        }
        return switch (name) {
            case "merged" -> new KernelSpec(name, new KernelBase.Debian("linux-source-7.", ""), series, List.of(),
                    List.of("hmm"), List.of(), d);
            case "baseline" -> new KernelSpec(name, new KernelBase.Debian("linux-source-6.12", ""), series, List.of(),
                    List.of("hmm"), List.of(), d);
            case "seed-v1" -> new KernelSpec(name, new KernelBase.Debian("linux-source-6.12", ""),
                    series != null ? series : defaultSeedSeries(), List.of("Documentation/*"), List.of("hmm"), List.of(), d);
            default -> throw new IllegalStateException(name);
        };
    }

    private static Path defaultSeedSeries() {
        Path seed = Project.root().resolve(SEED_PAGE).normalize();
        if (!Files.isRegularFile(seed)) {
            throw new IllegalArgumentException("variant seed-v1 needs its series: pass SERIES=<the v1 03/12 patch page>"
                    + " (default " + seed + " does not exist)");
        }
        return seed;
    }

    /** A kernel built elsewhere (config may be null), configured by the suite's profile for the checks. */
    public static KernelSpec prebuilt(String name, Path bzImage, Path module, Path config) {
        return new KernelSpec(name, new KernelBase.Prebuilt(bzImage.toAbsolutePath().normalize(),
                module.toAbsolutePath().normalize(), config == null ? null : config.toAbsolutePath().normalize()), null,
                List.of(), List.of("hmm"), List.of(), "prebuilt kernel " + bzImage);
    }

    public KernelSpec withBase(KernelBase b) {
        return new KernelSpec(name, b, series, excludes, profiles, extraConfig, description);
    }

    public KernelSpec withSeries(Path s, List<String> moreExcludes) {
        List<String> ex = new ArrayList<>(excludes);
        moreExcludes.stream().filter(e -> !ex.contains(e)).forEach(ex::add);
        return new KernelSpec(name, base, s, ex, profiles, extraConfig, description);
    }

    public KernelSpec withConfig(List<String> moreProfiles, List<String> moreOptions) {
        List<String> p = new ArrayList<>(profiles);
        moreProfiles.stream().filter(x -> !p.contains(x)).forEach(p::add);
        List<String> o = new ArrayList<>(extraConfig);
        o.addAll(moreOptions);
        return new KernelSpec(name, base, series, excludes, p, o, description);
    }

    public KernelSpec describedAs(String text) {
        return new KernelSpec(name, base, series, excludes, profiles, extraConfig, text);
    }

    public KernelSpec named(String newName) {
        return new KernelSpec(newName, base, series, excludes, profiles, extraConfig, description);
    }

    /** Pins the Debian version of the base (no effect on a local tree). */
    public KernelSpec withVersion(String version) {
        if (base instanceof KernelBase.Debian d) {
            return withBase(new KernelBase.Debian(d.pkg(), version));
        }
        throw new IllegalArgumentException("--version applies to a Debian base, not to " + base.describe());
    }
}
