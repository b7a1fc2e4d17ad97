package hmmtest.infra;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the project checkout the harness reads at run time (profiles, init, guest jars). */
public final class Project {
    private Project() {}

    /** The checkout: {@code -Dhmmtest.home} (set by the Makefile), else the working directory. */
    public static Path root() {
        String home = System.getProperty("hmmtest.home");
        Path root = Path.of(home != null ? home : "").toAbsolutePath().normalize();
        if (!Files.isDirectory(root.resolve("kernel-config"))) {
            throw new HarnessException(ExitCode.USAGE, root + " is not the hmmtest checkout (no kernel-config/);"
                    + " run from the checkout or set -Dhmmtest.home");
        }
        return root;
    }

    public static Path kernelConfig(String profile) {
        Path p = root().resolve("kernel-config").resolve(profile + ".config");
        if (!Files.isRegularFile(p)) {
            throw new HarnessException(ExitCode.USAGE, "no Kconfig profile '" + profile + "' (" + p + ")");
        }
        return p;
    }

    public static Path vmImages() {
        return root().resolve("vm-images");
    }

    /** native/build/libhmmtest_native.so, built by Maven's guest module or `make -C native`. */
    public static Path nativeLibrary() {
        Path lib = root().resolve("native/build/libhmmtest_native.so");
        if (!Files.isRegularFile(lib)) {
            throw new HarnessException(ExitCode.BUILD_FAILED, lib + " missing (run `make -C native` or `mvn package`)");
        }
        return lib;
    }

    /** native/build/read_bench: the C baseline of the READ benchmark (static). */
    public static Path readBenchmark() {
        Path b = root().resolve("native/build/read_bench");
        if (!Files.isRegularFile(b)) {
            throw new HarnessException(ExitCode.BUILD_FAILED, b + " missing (run `make -C native` or `mvn package`)");
        }
        return b;
    }

    /** native/build/hmmfuzz_exec: the guest's C executor of the host's differential engine (static). */
    public static Path fuzzExecutor() {
        Path b = root().resolve("native/build/hmmfuzz_exec");
        if (!Files.isRegularFile(b)) {
            throw new HarnessException(ExitCode.BUILD_FAILED, b + " missing (run `make -C native` or `mvn package`)");
        }
        return b;
    }

    /** The guest harness jar and its dependencies, as built by Maven. */
    public static Path guestJars() {
        Path dir = root().resolve("java/guest/target");
        if (!Files.isRegularFile(dir.resolve("hmmtest-guest.jar"))) {
            throw new HarnessException(ExitCode.BUILD_FAILED, "guest harness not built: " + dir
                    + "/hmmtest-guest.jar missing (run `make` or `mvn package`)");
        }
        return dir;
    }

    /** One word for a POSIX shell: as it is when it holds nothing special, else single-quoted. */
    public static String shellQuote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_./=:,@%+-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** A command line that reruns the CLI with these arguments when pasted into a shell, from anywhere. */
    public static String cliCommand(java.util.List<String> args) {
        Path root = root();
        StringBuilder sb = new StringBuilder("java -Dhmmtest.home=").append(shellQuote(root.toString())).append(" -cp ")
                .append(shellQuote(root.resolve("java/host/target/hmmtest-host.jar") + ":"
                        + root.resolve("java/host/target/lib") + "/*"))
                .append(" hmmtest.cli.Main");
        args.forEach(a -> sb.append(' ').append(shellQuote(a)));
        return sb.toString();
    }
}
