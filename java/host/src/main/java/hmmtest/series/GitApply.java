package hmmtest.series;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code git apply --verbose} on a source tree.
 *
 * <p>The tree is a plain directory, not a git repository: git apply patches files in place and only
 * reads the files a patch touches, which takes milliseconds, while {@code git init && git add -A}
 * of a 1.5 GB kernel tree hashes every file (a minute or more, and the object store doubles the disk
 * use) for nothing we need: a failing patch is caught by {@code --check} before anything is written,
 * and an applied one is undone with {@code -R}.
 */
final class GitApply {

    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private final Path tree;
    private final ApplyOptions options;
    private final Duration timeout;

    GitApply(Path tree, ApplyOptions options, Duration timeout) {
        this.tree = tree.toAbsolutePath().normalize();
        this.options = options;
        this.timeout = timeout;
    }

    Result check(Path patchFile) throws IOException {
        return run(patchFile, "--check");
    }

    Result apply(Path patchFile) throws IOException {
        return run(patchFile);
    }

    Result reverse(Path patchFile) throws IOException {
        return run(patchFile, "-R");
    }

    private Result run(Path patchFile, String... mode) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "core.quotePath=false", "apply", "--verbose"));
        cmd.addAll(List.of(mode));
        if (options.minContext() != null) {
            cmd.add("-C" + options.minContext());
        }
        for (String glob : options.excludes()) {
            cmd.add("--exclude=" + glob);
        }
        cmd.add(patchFile.toAbsolutePath().toString());

        // Output goes to a file so that waitFor's timeout holds even if git stalls mid-write.
        Path log = Files.createTempFile("hmmtest-git-apply-", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tree.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.put("LC_ALL", "C"); // the output is parsed: keep git's messages in English
        env.remove("LANGUAGE");
        // Inside another repository (a tree unpacked under a checkout) git apply takes paths relative
        // to that repository's top and silently skips everything else; stop the search at the tree.
        if (tree.getParent() != null) {
            env.put("GIT_CEILING_DIRECTORIES", tree.getParent().toString());
        }
        env.remove("GIT_DIR");
        env.remove("GIT_WORK_TREE");
        env.remove("GIT_INDEX_FILE");

        try {
            Process process = pb.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("git apply did not finish within " + timeout + ": " + String.join(" ", cmd));
            }
            return new Result(process.exitValue(), new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", cmd), e);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
