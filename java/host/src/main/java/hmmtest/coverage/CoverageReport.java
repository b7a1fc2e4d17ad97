package hmmtest.coverage;

import hmmtest.infra.Exec;
import hmmtest.infra.ExitCode;
import hmmtest.infra.HarnessException;
import hmmtest.infra.Progress;
import hmmtest.kernel.KernelBuild;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A run's kernel coverage in {@code <results>/coverage/}: each VM's counters with the build's
 * gcov notes through {@code lcov --capture} (vm-N.info), their sum ({@code lcov -a}), the files
 * of {@link #FILES} kept (coverage.info, its source paths pointing at the sources the build kept),
 * {@code genhtml}'s HTML (index.html) and a line per file (summary.txt). A VM that crashed sent
 * no counters: it is named, and the figures are those of the VMs that finished.
 */
public final class CoverageReport {
    public static final String DIR = "coverage";
    /** The Kconfig profile (kernel-config/coverage.config) that instruments {@link #FILES}. */
    public static final String PROFILE = "coverage";
    /** What the report is about: the driver and the mm files HMM runs through (the coverage profile's). */
    public static final List<String> FILES = List.of("lib/test_hmm.c", "mm/hmm.c", "mm/migrate_device.c", "mm/rmap.c",
            "mm/memremap.c");
    private static final List<String> BRANCHES = List.of("--rc", "lcov_branch_coverage=1");

    private CoverageReport() {}

    /** lcov and genhtml (Debian's lcov) must be there before a coverage kernel is built: exit 8 otherwise. */
    public static void requireTools() {
        for (String tool : List.of("lcov", "genhtml", "gcov")) {
            if (Exec.capture(List.of("sh", "-c", "command -v " + tool)) == null) {
                throw new HarnessException(ExitCode.MISSING_HOST_TOOLS, "--coverage needs " + tool
                        + " (Debian: apt-get install -y --no-install-recommends lcov)");
            }
        }
    }

    /** Whether a kernel of these profiles counts coverage. */
    public static boolean wanted(List<String> profiles) {
        return profiles.contains(PROFILE);
    }

    /** A run's VM directories (vm-1, vm-2, ...) in order. */
    public static List<Path> vmDirs(Path runDir) throws IOException {
        if (!Files.isDirectory(runDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(runDir)) {
            return s.filter(p -> p.getFileName().toString().matches("vm-\\d+") && Files.isDirectory(p))
                    .sorted(java.util.Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(3))))
                    .toList();
        }
    }

    /** One file's figures. */
    public record FileSummary(String file, long linesHit, long lines, long branchesHit, long branches) {
        public String line() {
            return String.format(Locale.ROOT, "  %-22s lines %5d/%-5d %5.1f%%   branches %5d/%-5d %5.1f%%", file, linesHit,
                    lines, pct(linesHit, lines), branchesHit, branches, pct(branchesHit, branches));
        }

        static double pct(long hit, long all) {
            return all == 0 ? 0 : 100.0 * hit / all;
        }
    }

    /** The report: its directory, the merged tracefile, a summary per file, and what was missing. */
    public record Result(Path dir, Path tracefile, List<FileSummary> files, List<String> notes) {
        public String text() {
            StringBuilder sb = new StringBuilder("kernel coverage (gcov; " + dir.resolve("index.html") + "):\n");
            files.forEach(f -> sb.append(f.line()).append('\n'));
            notes.forEach(n -> sb.append("  note: ").append(n).append('\n'));
            return sb.toString();
        }
    }

    /**
     * A name for a VM's directory that no other VM of the report has: its own (vm-1, fuzz), or, when
     * several runs are added up (every fuzz run's VM is "fuzz"), its run's name before it.
     */
    static String label(Path vm, java.util.Set<String> taken) {
        String own = vm.getFileName().toString();
        String label = own;
        Path run = vm.toAbsolutePath().normalize().getParent();
        if (taken.contains(label) && run != null && run.getFileName() != null) {
            label = run.getFileName() + "-" + own;
        }
        for (int n = 2; taken.contains(label); n++) {
            label = own + "-" + n;
        }
        taken.add(label);
        return label;
    }

    /** The coverage of the VMs under {@code runDir} (vm-N/gcov, or one VM's directory), written to {@code runDir}/coverage. */
    public static Result write(KernelBuild build, List<Path> vmDirs, Path runDir) throws IOException {
        Path gcov = build.gcovDir().orElseThrow(() -> new HarnessException(ExitCode.BUILD_FAILED,
                "coverage: the kernel build " + build.dir() + " has no gcov notes (build it with the coverage profile)"));
        Path out = Files.createDirectories(runDir.resolve(DIR));
        List<Path> notes;
        try (Stream<Path> s = Files.walk(gcov)) {
            notes = s.filter(p -> p.toString().endsWith(".gcno") && !gcov.relativize(p).startsWith("src")).sorted().toList();
        }
        List<String> missing = new ArrayList<>();
        List<Path> traces = new ArrayList<>();
        java.util.Set<String> labels = new java.util.HashSet<>();
        for (Path vm : vmDirs) {
            String label = label(vm, labels);
            List<Path> gcdas = gcdas(vm.resolve(GcdaStore.DIR));
            if (gcdas.isEmpty()) {
                missing.add(label + " sent no counters (it crashed or was stopped before the end of its work):"
                        + " its coverage is lost, the figures are the other VMs'");
                continue;
            }
            Path work = out.resolve("work").resolve(label);
            for (Path n : notes) {
                String rel = gcov.relativize(n).toString();
                String data = rel.replaceAll("\\.gcno$", ".gcda");
                gcdas.stream().filter(g -> g.toString().endsWith("/" + data)).findFirst().ifPresent(g -> {
                    try {
                        Files.createDirectories(work.resolve(rel).getParent());
                        Files.copy(n, work.resolve(rel), StandardCopyOption.REPLACE_EXISTING);
                        Files.copy(g, work.resolve(data), StandardCopyOption.REPLACE_EXISTING);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
            Path info = out.resolve(label + ".info");
            lcov(List.of("--capture", "--directory", work.toString(), "--output-file", info.toString()), out);
            traces.add(info);
        }
        if (traces.isEmpty()) {
            return new Result(out, null, List.of(), missing.isEmpty() ? List.of("no VM sent counters") : missing);
        }
        Path total = out.resolve("total.info");
        List<String> add = new ArrayList<>();
        traces.forEach(t -> add.addAll(List.of("--add-tracefile", t.toString())));
        add.addAll(List.of("--output-file", total.toString()));
        lcov(add, out);
        Path merged = out.resolve("coverage.info");
        Files.write(merged, kept(Files.readAllLines(total), gcov.resolve("src")));
        List<String> html = new ArrayList<>(List.of("genhtml", "--quiet", "--branch-coverage", "--output-directory",
                out.toString(), "--title", "hmmtest kernel coverage", merged.toString()));
        Exec.check(html, out, out.resolve("genhtml.log"), ExitCode.INCOMPLETE, "genhtml");
        Tracefile t = Tracefile.read(merged);
        List<FileSummary> files = new ArrayList<>();
        for (String f : FILES) {
            t.file(f).ifPresent(d -> files.add(new FileSummary(f, d.linesHit(), d.lines().size(), d.branchesHit(),
                    d.branches().size())));
        }
        Files.write(out.resolve("untaken-branches.txt"), untakenBranches(t, gcov.resolve("src")));
        Result r = new Result(out, merged, files, missing);
        Files.writeString(out.resolve("summary.txt"), r.text());
        Map<String, Object> json = hmmtest.infra.Harness.header("hmmtest-coverage", java.time.Instant.now());
        json.put("files", files);
        json.put("vms", traces.size());
        json.put("notes", missing);
        new com.fasterxml.jackson.databind.ObjectMapper().enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.resolve("coverage.json").toFile(), json);
        org.apache.commons.io.FileUtils.deleteQuietly(out.resolve("work").toFile()); // the per-VM copies: summed above
        Progress.always(r.text().stripTrailing());
        return r;
    }

    /**
     * The driver's branches no VM of the run took, by line, with the line's code: where a test or
     * the fuzzer's generator is missing (untaken-branches.txt).
     */
    static List<String> untakenBranches(Tracefile t, Path sources) throws IOException {
        List<String> out = new ArrayList<>();
        for (String f : FILES) {
            var data = t.file(f);
            if (data.isEmpty()) {
                continue;
            }
            Path src = sources.resolve(f);
            List<String> code = Files.isRegularFile(src) ? Files.readAllLines(src) : List.of();
            Map<Integer, long[]> byLine = new java.util.TreeMap<>();
            for (Tracefile.Branch b : data.get().branches()) {
                long[] c = byLine.computeIfAbsent(b.line(), k -> new long[2]);
                c[1]++;
                if (b.taken() == 0) {
                    c[0]++;
                }
            }
            long untaken = byLine.values().stream().mapToLong(c -> c[0]).sum();
            out.add(f + ": " + untaken + " of " + data.get().branches().size() + " branches never taken");
            byLine.forEach((line, c) -> {
                if (c[0] > 0) {
                    String text = line <= code.size() ? code.get(line - 1).strip() : "";
                    boolean lineRan = data.get().lines().getOrDefault(line, 0L) > 0;
                    out.add(String.format(Locale.ROOT, "  %5d  %d/%d untaken%s  %s", line, c[0], c[1],
                            lineRan ? "" : " (line never ran)", text));
                }
            });
        }
        return out;
    }

    private static List<Path> gcdas(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".gcda")).sorted().toList();
        }
    }

    private static void lcov(List<String> args, Path out) {
        List<String> cmd = new ArrayList<>(List.of("lcov", "--quiet"));
        cmd.addAll(BRANCHES);
        cmd.addAll(args);
        Exec.check(cmd, out, out.resolve("lcov.log"), ExitCode.INCOMPLETE, "lcov");
    }

    /**
     * The records of {@link #FILES} only (headers inlined into them are left out), each source
     * path pointing at the copy the build kept, so the HTML shows the code that was counted.
     */
    static List<String> kept(List<String> lines, Path sources) {
        List<String> out = new ArrayList<>();
        List<String> record = new ArrayList<>();
        String keep = null;
        for (String l : lines) {
            if (l.startsWith("SF:")) {
                String path = l.substring(3);
                keep = FILES.stream().filter(f -> path.endsWith("/" + f)).findFirst().orElse(null);
                record.clear();
                record.add(keep == null ? l : "SF:" + sources.resolve(keep).toAbsolutePath());
                continue;
            }
            record.add(l);
            if (l.equals("end_of_record")) {
                if (keep != null) {
                    out.addAll(record);
                }
                record.clear();
                keep = null;
            }
        }
        return out;
    }

    /** The figures of each file as a map (results.json, the closing summary of a fuzz run). */
    public static Map<String, Object> asMap(Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        r.files().forEach(f -> m.put(f.file(), Map.of("linesHit", f.linesHit(), "lines", f.lines(),
                "branchesHit", f.branchesHit(), "branches", f.branches())));
        return m;
    }
}
