package hmmtest.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The source files of a kernel tree: every file and symlink except version-control metadata and
 * what an in-tree build left behind. A developer's tree that was configured or built in place
 * holds {@code .config}, {@code include/config/}, objects and host programs; kbuild refuses an
 * {@code O=} build of such a tree, and an object left in the source tree would be found through
 * {@code VPATH} and taken as up to date. The rules follow kbuild itself: every target it built
 * has a {@code .NAME.cmd} file beside it, and {@code make clean}/{@code mrproper} remove the
 * patterns below (a pristine tree has no file that matches them; checked on 6.12 and 7.3).
 */
public final class TreeScan {
    private TreeScan() {}

    /** Size and modification time of one file; {@code symlink} entries compare their target instead. */
    public record Stat(long size, long mtimeNanos, boolean symlink) {
        static Stat of(BasicFileAttributes a) {
            return new Stat(a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), a.isSymbolicLink());
        }
    }

    /** Directories kbuild generates (relative to the tree root), and VCS metadata. */
    private static final Pattern GENERATED_DIR = Pattern.compile(
            "\\.git|\\.hg|\\.svn|include/config|include/generated|arch/[^/]+/include/generated|(.*/)?\\.tmp_[^/]*");
    /** Files kbuild's clean and mrproper remove, at any depth or at the top. */
    private static final Pattern GENERATED_FILE = Pattern.compile(
            "(.*/)?(\\.[^/]*\\.cmd|\\.[^/]*\\.d|[^/]*\\.(o|ko|a|s|i|mod|mod\\.c|order|symvers|symtypes|dwo|gcno|su|lst)"
                    + "|[^/]*\\.tab\\.[ch]|[^/]*\\.lex\\.c" // bison/flex output: one .cmd names only one of a pair
                    + "|\\.tmp_[^/]*)"
                    + "|\\.config|\\.config\\.old|\\.version|System\\.map|vmlinux(\\.[^/]*)?|modules\\.builtin[^/]*");

    /** Relative path (with '/') to stat, sorted; never follows symlinks. */
    public static Map<String, Stat> scan(Path root) {
        TreeMap<String, Stat> out = new TreeMap<>();
        Set<String> cmdTargets = new HashSet<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String rel = relative(root, dir);
                    return !rel.isEmpty() && GENERATED_DIR.matcher(rel).matches() ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String rel = relative(root, file);
                    String name = file.getFileName().toString();
                    if (name.startsWith(".") && name.endsWith(".cmd") && name.length() > 5) {
                        String dir = rel.substring(0, rel.length() - name.length());
                        cmdTargets.add(dir + name.substring(1, name.length() - 4));
                    }
                    if (GENERATED_FILE.matcher(rel).matches() || !(attrs.isRegularFile() || attrs.isSymbolicLink())) {
                        return FileVisitResult.CONTINUE;
                    }
                    out.put(rel, Stat.of(attrs));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.keySet().removeAll(cmdTargets); // host programs, generated headers, bzImage: anything kbuild made
        return out;
    }

    static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }
}
