package hmmtest.kernel;

import java.nio.file.Path;

/** Where a kernel's source tree comes from. */
public sealed interface KernelBase {

    /**
     * A Debian linux-source package.
     *
     * @param pkg exact package name, or a prefix ending in "." meaning "the newest of these"
     * @param version pinned Debian version, or "" for the newest in the archive
     */
    record Debian(String pkg, String version) implements KernelBase {
        public boolean isPrefix() {
            return pkg.endsWith(".");
        }

        @Override
        public String describe() {
            return "debian:" + pkg + (isPrefix() ? "*" : "") + (version.isEmpty() ? "" : "=" + version);
        }
    }

    /** A kernel tree on disk; built out of tree (O=) so it stays clean. */
    record LocalTree(Path path) implements KernelBase {
        @Override
        public String describe() {
            return path.toString();
        }
    }

    /** A kernel built elsewhere: bzImage and test_hmm.ko, with its .config when given (null otherwise). */
    record Prebuilt(Path bzImage, Path module, Path config) implements KernelBase {
        @Override
        public String describe() {
            return "prebuilt " + bzImage + " + " + module + (config == null ? "" : " (config " + config + ")");
        }
    }

    String describe();

    /** Parses {@code debian:PKG[=VERSION]} or a directory path. */
    static KernelBase parse(String spec) {
        if (spec.startsWith("debian:")) {
            String rest = spec.substring("debian:".length());
            int eq = rest.indexOf('=');
            return eq < 0 ? new Debian(rest, "") : new Debian(rest.substring(0, eq), rest.substring(eq + 1));
        }
        Path p = Path.of(spec).toAbsolutePath().normalize();
        if (!p.resolve("Makefile").toFile().isFile() || !p.resolve("Kconfig").toFile().isFile()) {
            throw new IllegalArgumentException("base '" + spec + "' is neither a variant, debian:PKG[=VERSION], "
                    + "nor a kernel tree (no Makefile and Kconfig in " + p + ")");
        }
        return new LocalTree(p);
    }
}
