package hmmtest.image;

import hmmtest.infra.Exec;
import hmmtest.infra.ExitCode;
import hmmtest.infra.HarnessException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The host's shared libraries (glibc and friends) that a set of ELF files needs, found by ldd. */
final class HostLibraries {
    private static final Pattern RESOLVED = Pattern.compile("=>\\s+(/\\S+)\\s+\\(0x");
    private static final Pattern LOADER = Pattern.compile("^\\s*(/\\S+)\\s+\\(0x");

    private HostLibraries() {}

    /** {@code provided}: library file names shipped with the files themselves (the JRE's own). */
    static TreeSet<Path> neededBy(Collection<Path> elfFiles, java.util.Set<String> provided) {
        TreeSet<Path> libs = new TreeSet<>();
        for (Path elf : elfFiles) {
            String out = Exec.capture(List.of("ldd", elf.toString()));
            if (out == null) {
                continue; // not dynamic
            }
            for (String line : out.split("\n")) {
                if (line.contains("not found") && !provided.contains(line.trim().split("\\s+")[0])) {
                    throw new HarnessException(ExitCode.BUILD_FAILED, "ldd " + elf + ": " + line.trim());
                }
                Matcher m = RESOLVED.matcher(line);
                Matcher l = LOADER.matcher(line);
                if (line.contains("not found")) {
                    continue;
                } else if (m.find()) {
                    libs.add(Path.of(m.group(1)));
                } else if (l.find()) {
                    libs.add(Path.of(l.group(1)));
                }
            }
        }
        return libs;
    }
}
