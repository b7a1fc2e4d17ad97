package hmmtest.container;

import hmmtest.kernel.KernelBase;
import hmmtest.kernel.KernelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * What the host side needs to know about a command line it hands to the container: the paths it
 * names (to mount them at the same place) and the Debian kernel source it needs (to fetch it on
 * the host, where the network is). Parsed with the CLI's own picocli model, so option names and
 * syntax are the CLI's; a line that does not parse is handed over as is, for the inner CLI to
 * reject with its usual message and exit 2.
 */
record Invocation(List<String> args, String subcommand, List<Path> readOnly, List<Path> readWrite,
        Optional<KernelBase.Debian> debianBase) {

    /** {@code cli}: the CLI's parser, so option names and syntax are the CLI's own. */
    static Invocation parse(List<String> args, Path checkout, CommandLine cli) {
        List<Path> ro = new ArrayList<>();
        List<Path> rw = new ArrayList<>();
        ParseResult top;
        try {
            top = cli.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            return new Invocation(args, null, ro, rw, Optional.empty());
        }
        ParseResult sub = top.subcommand();
        if (sub == null) {
            return new Invocation(args, null, ro, rw, Optional.empty());
        }
        String series = value(sub, "--series");
        String base = value(sub, "--base");
        String results = value(sub, "--results-dir");
        if (series != null) {
            ro.add(Path.of(series).toAbsolutePath().normalize());
        }
        if (base != null && !base.startsWith("debian:") && !KernelSpec.shipped().containsKey(base)) {
            ro.add(Path.of(base).toAbsolutePath().normalize()); // a kernel tree on disk, built out of tree
        }
        if (results != null) {
            rw.add(Path.of(results).toAbsolutePath().normalize());
        }
        for (String prebuilt : List.of("--kernel", "--module", "--kernel-config", "--base-kernel", "--base-module",
                "--base-kernel-config")) {
            String file = value(sub, prebuilt); // a kernel built elsewhere: its files, read-only
            if (file != null) {
                ro.add(Path.of(file).toAbsolutePath().normalize());
            }
        }
        // seed-v1's default series lives beside the checkout (../shared/seeds).
        Path seeds = checkout.resolve("../shared/seeds").normalize();
        if (Files.isDirectory(seeds)) {
            ro.add(seeds);
        }
        return new Invocation(args, sub.commandSpec().name(), ro, rw, debianBase(sub, base));
    }

    private static Optional<KernelBase.Debian> debianBase(ParseResult sub, String base) {
        if (sub.commandSpec().findOption("--variant") == null) {
            return Optional.empty(); // kernels, clean-kernels: no kernel source needed
        }
        if (value(sub, "--kernel") != null) {
            return Optional.empty(); // a prebuilt kernel: nothing to download
        }
        String variant = value(sub, "--variant");
        String version = value(sub, "--debian-version");
        KernelBase kb;
        try {
            if (base != null && !KernelSpec.shipped().containsKey(base)) {
                if (!base.startsWith("debian:")) {
                    return Optional.empty();
                }
                kb = KernelBase.parse(base);
            } else {
                String name = base != null ? base : variant != null ? variant : KernelSpec.DEFAULT;
                // Only the base matters here; a placeholder series keeps seed-v1 from looking for its page.
                kb = KernelSpec.variant(name, Path.of("-")).base();
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // the inner CLI says what is wrong
        }
        if (!(kb instanceof KernelBase.Debian d)) {
            return Optional.empty();
        }
        if (version != null && !version.isBlank()) {
            d = new KernelBase.Debian(d.pkg(), version.startsWith("=") ? version.substring(1) : version);
        }
        return Optional.of(d);
    }

    private static String value(ParseResult sub, String option) {
        if (sub.commandSpec().findOption(option) == null || !sub.hasMatchedOption(option)) {
            return null;
        }
        Object v = sub.matchedOptionValue(option, null);
        return v == null ? null : v.toString();
    }
}
