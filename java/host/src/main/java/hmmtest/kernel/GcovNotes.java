package hmmtest.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a coverage build keeps beside its bzImage: the compiler's notes (.gcno) of every
 * instrumented object and the C file each was compiled from, at their paths in the tree. The
 * build directory and the working copy move on with the next build; gcov needs the notes that
 * match the counters, and the HTML report needs the sources as they were.
 */
public final class GcovNotes {
    private GcovNotes() {}

    /** Copies build/**.gcno to {@code out}/ and each object's source to {@code out}/src/; returns the objects kept. */
    static List<String> keep(Path build, Path source, Path out) throws IOException {
        List<Path> notes;
        try (Stream<Path> s = Files.walk(build)) {
            notes = s.filter(p -> p.getFileName().toString().endsWith(".gcno")).sorted().toList();
        }
        for (Path n : notes) {
            Path rel = build.relativize(n);
            Files.createDirectories(out.resolve(rel).getParent());
            Files.copy(n, out.resolve(rel), StandardCopyOption.REPLACE_EXISTING);
            String c = rel.toString().replaceAll("\\.gcno$", ".c");
            if (Files.isRegularFile(source.resolve(c))) {
                Path dst = out.resolve("src").resolve(c);
                Files.createDirectories(dst.getParent());
                Files.copy(source.resolve(c), dst, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return notes.stream().map(n -> build.relativize(n).toString()).toList();
    }
}
