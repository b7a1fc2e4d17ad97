package hmmtest.kernel;

import hmmtest.infra.Exec;
import hmmtest.infra.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the tree's own {@code tools/testing/selftests/mm/hmm-tests} as one static binary, so it
 * runs in the same VM as our suite (measured.md: headers_install, then gcc -static). A series may
 * break the selftest without breaking the kernel, so a failure here is recorded, not fatal.
 */
final class UpstreamSelftest {
    private UpstreamSelftest() {}

    /** Returns "built", or why not. */
    static String build(Path source, Path buildDir, Path target, Path log) throws IOException {
        Path mm = source.resolve("tools/testing/selftests/mm");
        Path test = mm.resolve("hmm-tests.c");
        if (!Files.isRegularFile(test)) {
            return "not in tree";
        }
        try (Progress.Phase p = Progress.start("kernel", "build upstream hmm-tests (static)")) {
            Files.deleteIfExists(log);
            Path headers = buildDir.resolve("hmmtest-headers");
            Exec.Result h = Exec.run(List.of("make", "-C", source.toString(), "O=" + buildDir, "headers_install",
                    "INSTALL_HDR_PATH=" + headers), null, log, Map.of());
            if (h.exitCode() != 0) {
                p.fail();
                return "failed: make headers_install (log " + log + ")";
            }
            String text = Files.readString(test);
            List<String> cmd = new ArrayList<>(List.of("gcc", "-O2", "-static", "-I", headers.resolve("include").toString(),
                    "-I", "..", "-I", "../../../..", "-I", "../../../../tools/include", "-o", target.toString(),
                    "hmm-tests.c"));
            // 7.3's test links helpers that 6.12's does not use.
            for (String helper : List.of("vm_util", "hugepage_settings")) {
                if (text.contains(helper + ".h") && Files.isRegularFile(mm.resolve(helper + ".c"))) {
                    cmd.add(helper + ".c");
                }
            }
            cmd.add("-lpthread");
            Exec.Result c = Exec.run(cmd, mm, log, Map.of());
            if (c.exitCode() != 0) {
                p.fail();
                return "failed: gcc (log " + log + ")";
            }
            return "built";
        }
    }
}
