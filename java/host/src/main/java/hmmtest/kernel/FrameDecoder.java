package hmmtest.kernel;

import hmmtest.infra.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * file:line for the frames of a crash excerpt, as the kernel's scripts/decode_stacktrace.sh gives
 * them: {@code make_device_exclusive+0x131/0x146} becomes
 * {@code make_device_exclusive+0x131/0x146 mm/rmap.c:2501}. It needs DWARF line tables: a build
 * with {@code PROFILE=debug} keeps its {@code vmlinux} (and its {@code test_hmm.ko} has them); other
 * builds decode nothing and say so once. addr2line and nm from binutils do the work.
 */
public final class FrameDecoder {
    /** "func+0x131/0x146" with an optional " [module]" after it. */
    static final Pattern FRAME = Pattern.compile("([A-Za-z_][A-Za-z0-9_.]*)\\+0x([0-9a-f]+)/0x[0-9a-f]+(?: \\[(\\w+)\\])?");

    private final Path vmlinux;
    private final Path module;
    private final Map<String, Long> kernelSymbols = new HashMap<>();
    private final Map<String, Long> moduleSymbols = new HashMap<>();
    private final Map<String, String> cache = new HashMap<>();

    private FrameDecoder(Path vmlinux, Path module) {
        this.vmlinux = vmlinux;
        this.module = module;
    }

    /** A decoder for this build, or empty when it has no line tables. */
    public static Optional<FrameDecoder> of(KernelBuild build) {
        Path vmlinux = build.dir().resolve("vmlinux");
        if (!Files.isRegularFile(vmlinux)) {
            return Optional.empty();
        }
        FrameDecoder d = new FrameDecoder(vmlinux, build.testHmmModule());
        d.load(vmlinux, d.kernelSymbols);
        d.load(build.testHmmModule(), d.moduleSymbols);
        return Optional.of(d);
    }

    /**
     * Functions in .text and their addresses, from nm's System V format (which names the section:
     * a module's addresses are section-relative, and addr2line -j .text reads them as such).
     */
    private void load(Path elf, Map<String, Long> into) {
        String out = Exec.capture(List.of("nm", "-f", "sysv", "--defined-only", elf.toString()));
        if (out == null) {
            return;
        }
        for (String l : out.split("\n")) {
            String[] f = l.split("\\|");
            if (f.length >= 7 && f[3].trim().equals("FUNC") && f[6].trim().equals(".text")) {
                into.putIfAbsent(f[0].trim(), Long.parseUnsignedLong(f[1].trim(), 16));
            }
        }
    }

    /** The excerpt with "file:line" after each frame that decodes (innermost inlined location). */
    public List<String> decode(List<String> excerpt) {
        List<String> out = new ArrayList<>(excerpt.size());
        for (String line : excerpt) {
            Matcher m = FRAME.matcher(line);
            StringBuilder sb = new StringBuilder();
            int last = 0;
            while (m.find()) {
                sb.append(line, last, m.end());
                String where = where(m.group(1), Long.parseLong(m.group(2), 16), m.group(3));
                if (where != null) {
                    sb.append(' ').append(where);
                }
                last = m.end();
            }
            sb.append(line.substring(last));
            out.add(sb.toString());
        }
        return out;
    }

    private String where(String function, long offset, String moduleName) {
        boolean inModule = "test_hmm".equals(moduleName);
        if (moduleName != null && !inModule) {
            return null; // another module: no line tables here
        }
        Long base = (inModule ? moduleSymbols : kernelSymbols).get(function);
        if (base == null) {
            return null;
        }
        String key = (inModule ? "m:" : "k:") + function + "+" + offset;
        return cache.computeIfAbsent(key, k -> {
            // the return address points after the call: -1 names the calling line, as decode_stacktrace.sh does
            long addr = base + Math.max(0, offset - 1);
            List<String> cmd = new ArrayList<>(List.of("addr2line", "-e", (inModule ? module : vmlinux).toString()));
            if (inModule) {
                cmd.addAll(List.of("-j", ".text"));
            }
            cmd.add("0x" + Long.toHexString(addr));
            String out = Exec.capture(cmd);
            if (out == null || out.isBlank() || out.startsWith("??")) {
                return null;
            }
            return shorten(out.lines().findFirst().orElse("").replaceAll(" \\(discriminator \\d+\\)", "").strip());
        });
    }

    /** Source paths relative to the kernel tree (addr2line gives the build's absolute ones). */
    static String shorten(String fileLine) {
        for (String top : List.of("/mm/", "/lib/", "/kernel/", "/include/", "/arch/", "/fs/", "/drivers/")) {
            int i = fileLine.indexOf(top);
            if (i >= 0) {
                return fileLine.substring(i + 1);
            }
        }
        return fileLine;
    }
}
