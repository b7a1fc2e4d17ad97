package hmmtest.series;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** A throw-away git repository for making real patches with real git in tests. */
final class GitFixture {

    final Path repo;

    GitFixture(Path repo) throws IOException {
        this.repo = repo;
        Files.createDirectories(repo);
        git("init", "-q", "-b", "main");
    }

    /** Numbered lines "prefix 1".."prefix n", each newline-terminated. */
    static String lines(String prefix, int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> prefix + " " + i + "\n").collect(Collectors.joining());
    }

    GitFixture write(String path, String content) throws IOException {
        Path file = repo.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return this;
    }

    /** Replaces the first occurrence of a whole line. */
    GitFixture replaceLine(String path, String line, String replacement) throws IOException {
        return write(path, replacedLine(Files.readString(repo.resolve(path)), line, replacement));
    }

    static String replacedLine(String text, String line, String replacement) {
        int at = text.startsWith(line + "\n") ? 0 : text.indexOf("\n" + line + "\n") + 1;
        if (at < 0 || !text.startsWith(line + "\n", at)) {
            throw new IllegalArgumentException("no line '" + line + "'");
        }
        return text.substring(0, at) + replacement + "\n" + text.substring(at + line.length() + 1);
    }

    GitFixture commit(String author, String subject) throws IOException {
        git("add", "-A");
        git("commit", "-q", "--author=" + author, "-m", subject + "\n\nWhy " + subject + ".\n\nSigned-off-by: " + author);
        return this;
    }

    /** git format-patch into {@code out}; returns the files written, in name order. */
    List<Path> formatPatch(Path out, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("format-patch", "-q", "-o", out.toString()));
        cmd.addAll(Arrays.asList(args));
        git(cmd.toArray(String[]::new));
        try (Stream<Path> list = Files.list(out)) {
            return list.sorted().toList();
        }
    }

    /** Writes the tree of {@code rev} into {@code target}, without any .git: like an unpacked tarball. */
    void export(String rev, Path target) throws IOException {
        for (String path : git("ls-tree", "-r", "--name-only", rev).split("\n")) {
            Path file = target.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, git("show", rev + ":" + path));
        }
    }

    String git(String... args) throws IOException {
        return run(repo, args);
    }

    static String run(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=Test Committer", "-c",
                "user.email=committer@example.org", "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        pb.environment().put("GIT_AUTHOR_DATE", "2025-01-29T12:54:01+0100");
        pb.environment().put("GIT_COMMITTER_DATE", "2025-01-29T12:54:01+0100");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("git " + String.join(" ", args) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out;
    }

    /** Every regular file under {@code root} (outside .git) with its bytes, for before/after checks. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(p).toString();
                if (!rel.startsWith(".git/") && !rel.equals(".git")) {
                    files.put(rel, new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
                }
            }
        }
        return files;
    }
}
