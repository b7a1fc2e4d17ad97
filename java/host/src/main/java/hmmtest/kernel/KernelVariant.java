package hmmtest.kernel;

import java.util.List;
import java.util.Map;

/**
 * A named kernel to build: where its source comes from and which profiles configure it.
 *
 * @param debianPackage exact package name, or a prefix ending in "." meaning "newest of these"
 * @param version pinned Debian version, or "" for the newest in the archive
 */
public record KernelVariant(String name, String debianPackage, String version, List<String> profiles,
        String description) {

    public static final String DEFAULT = "merged";

    /** The variants the project ships. */
    public static final Map<String, KernelVariant> SHIPPED = Map.of(
            "merged", new KernelVariant("merged", "linux-source-7.", "", List.of("hmm"),
                    "Debian linux-source-7.x (trixie-backports): contains the make_device_exclusive() series"),
            "baseline", new KernelVariant("baseline", "linux-source-6.12", "", List.of("hmm"),
                    "Debian linux-source-6.12 (bookworm): before the series, has make_device_exclusive_range()"));

    public static KernelVariant named(String name) {
        KernelVariant v = SHIPPED.get(name);
        if (v == null) {
            throw new IllegalArgumentException("unknown variant '" + name + "'; known: "
                    + String.join(", ", SHIPPED.keySet().stream().sorted().toList()));
        }
        return v;
    }

    public KernelVariant withVersion(String pinned) {
        return new KernelVariant(name, debianPackage, pinned, profiles, description);
    }

    public boolean packageIsPrefix() {
        return debianPackage.endsWith(".");
    }
}
