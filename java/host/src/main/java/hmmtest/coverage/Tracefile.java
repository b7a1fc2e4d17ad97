package hmmtest.coverage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An lcov tracefile (geninfo(1)) as data: per source file, the hit count of each instrumented
 * line (DA) and of each branch (BRDA; "-" is a branch whose block never ran).
 */
public record Tracefile(Map<String, FileData> files) {

    /** One source file's counts. */
    public record FileData(String path, TreeMap<Integer, Long> lines, List<Branch> branches) {
        public long linesHit() {
            return lines.values().stream().filter(c -> c > 0).count();
        }

        public long branchesHit() {
            return branches.stream().filter(b -> b.taken() > 0).count();
        }
    }

    /** A branch: its line, block and branch numbers, and how often it was taken (0 also for "-"). */
    public record Branch(int line, int block, int branch, long taken) {}

    public static Tracefile read(Path info) throws IOException {
        Map<String, FileData> files = new LinkedHashMap<>();
        FileData cur = null;
        for (String l : Files.readAllLines(info)) {
            if (l.startsWith("SF:")) {
                cur = new FileData(l.substring(3), new TreeMap<>(), new ArrayList<>());
            } else if (l.startsWith("DA:") && cur != null) {
                String[] f = l.substring(3).split(",");
                cur.lines().merge(Integer.parseInt(f[0]), Long.parseLong(f[1]), Long::sum);
            } else if (l.startsWith("BRDA:") && cur != null) {
                String[] f = l.substring(5).split(",");
                cur.branches().add(new Branch(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                        f[3].equals("-") ? 0 : Long.parseLong(f[3])));
            } else if (l.equals("end_of_record") && cur != null) {
                files.merge(cur.path(), cur, (a, b) -> {
                    b.lines().forEach((k, v) -> a.lines().merge(k, v, Long::sum));
                    a.branches().addAll(b.branches());
                    return a;
                });
                cur = null;
            }
        }
        return new Tracefile(files);
    }

    /** The file whose path ends with {@code rel} ("mm/hmm.c"), if the tracefile has it. */
    public java.util.Optional<FileData> file(String rel) {
        return files.values().stream().filter(f -> f.path().endsWith("/" + rel) || f.path().equals(rel)).findFirst();
    }
}
