package hmmtest.cli;

import hmmtest.kernel.KernelVariant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by every command that needs a kernel. */
public final class KernelOptions {
    @Option(names = "--variant", defaultValue = KernelVariant.DEFAULT,
            description = "Kernel variant: ${COMPLETION-CANDIDATES:-merged, baseline} (default: ${DEFAULT-VALUE}).")
    String variant;

    @Option(names = "--version", paramLabel = "DEBIAN_VERSION",
            description = "Pin the Debian source package version (e.g. 7.3.4-1~bpo13+1); default: newest.")
    String version;

    @Option(names = "--config", paramLabel = "CONFIG_X=y",
            description = "Extra Kconfig option (repeatable); verified like the profile's.")
    List<String> extraConfig = new ArrayList<>();

    KernelVariant resolve() {
        KernelVariant v = KernelVariant.named(variant);
        return version == null ? v : v.withVersion(version.startsWith("=") ? version.substring(1) : version);
    }
}
