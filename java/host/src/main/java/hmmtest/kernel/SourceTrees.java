package hmmtest.kernel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import hmmtest.debian.DebianArchive;
import hmmtest.debian.DebianArchive.Deb;
import hmmtest.infra.CacheDir;
import hmmtest.infra.Exec;
import hmmtest.infra.ExitCode;
import hmmtest.infra.HarnessException;
import hmmtest.infra.Hashing;
import hmmtest.infra.Progress;
import hmmtest.series.ApplyOptions;
import hmmtest.series.ApplyReport;
import hmmtest.series.Patch;
import hmmtest.series.PatchApplyException;
import hmmtest.series.Series;
import hmmtest.series.SeriesFormatException;
import hmmtest.series.SeriesReader;
import hmmtest.series.SeriesApplier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a spec's base and series into a source tree. Debian bases are unpacked once into the
 * cache; a series is applied with real git to a hard-linked copy of the base (files the series
 * touches are un-linked first, so the shared base never changes), published as its own cache
 * entry. A local tree is used in place and built out of tree.
 */
public final class SourceTrees {
    private final CacheDir cache;
    private final DebianArchive archive;

    public SourceTrees(CacheDir cache) {
        this.cache = cache;
        this.archive = new DebianArchive(cache);
    }

    public PreparedSource prepare(KernelSpec spec) {
        Map<String, String> identity = new LinkedHashMap<>();
        Path base;
        String version;
        if (spec.base() instanceof KernelBase.Debian d) {
            String pkg = d.pkg();
            if (d.isPrefix()) {
                archive.updateIndex(false);
                pkg = archive.newestPackage(pkg);
            }
            Deb deb = archive.fetch(pkg, d.version());
            identity.put("package", deb.name());
            identity.put("version", deb.version());
            identity.put("sha256", deb.sha256());
            base = KernelSource.unpack(cache, deb);
            version = deb.version();
        } else {
            KernelBase.LocalTree t = (KernelBase.LocalTree) spec.base();
            base = t.path();
            identity.putAll(localIdentity(base));
            version = identity.getOrDefault("describe", "local");
        }
        if (spec.series() == null) {
            return new PreparedSource(base, identity, null, null, version);
        }
        Series series = readSeries(spec.series());
        try {
            return applied(base, identity, series, spec.excludes(), version);
        } catch (HarnessException e) {
            // Documentation cannot change the kernel under test: when only its hunks fail (the seed
            // page lost the zh_CN text's full-width punctuation), skip them, and say so.
            if (e.getCause() instanceof PatchApplyException pae && pae.file() != null
                    && pae.file().startsWith("Documentation/") && !spec.excludes().contains(DOCS)) {
                Progress.always("[series] only documentation failed to apply (" + pae.file() + "): retrying with "
                        + DOCS + " excluded; documentation does not affect the kernel under test");
                List<String> excludes = new java.util.ArrayList<>(spec.excludes());
                excludes.add(DOCS);
                return applied(base, identity, series, excludes, version);
            }
            throw e;
        }
    }

    static final String DOCS = "Documentation/*";

    private PreparedSource applied(Path base, Map<String, String> identity, Series series, List<String> excludes,
            String version) {
        ApplyOptions options = ApplyOptions.defaults().withExcludes(excludes.toArray(String[]::new));
        Hashing.Key key = new Hashing.Key();
        identity.forEach(key::add);
        series.patches().forEach(p -> key.add("patch " + p.index(), p.sha256()));
        key.add("excludes", excludes);
        Path entry = cache.dir("src").resolve(base.getFileName() + "+series-" + key.hex().substring(0, 12));
        Path reportFile = entry.resolve(".hmmtest-apply.json");
        if (!Files.isRegularFile(reportFile)) {
            CacheDir.sweepTemporaries(entry.getParent());
            CacheDir.publish(entry, tmp -> applyInto(tmp, base, series, options, reportFile.getFileName().toString()));
        }
        ApplyReport report = readReport(reportFile);
        return new PreparedSource(entry, identity, series, report, version);
    }

    static Series readSeries(Path path) {
        if (!Files.exists(path)) {
            throw new HarnessException(ExitCode.USAGE, "series " + path + " does not exist");
        }
        try {
            Series s = SeriesReader.read(path);
            Progress.info("series", s.patches().size() + " patch(es) from " + path + " (" + s.format() + ")");
            for (Patch p : s.patches()) {
                Progress.info("series", "  " + p.index() + ". " + p.title() + " — " + p.author());
            }
            return s;
        } catch (SeriesFormatException e) {
            throw new HarnessException(ExitCode.USAGE, e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void applyInto(Path tmp, Path base, Series series, ApplyOptions options, String reportName)
            throws IOException {
        try (Progress.Phase p = Progress.start("series", "copy " + base.getFileName() + " (hard links)")) {
            Path log = tmp.resolveSibling(tmp.getFileName() + ".cp.log");
            Exec.Result r = Exec.run(List.of("cp", "-al", base + "/.", tmp.toString()), null, log, Map.of());
            if (r.exitCode() != 0) { // another filesystem: a real copy
                Exec.check(List.of("cp", "-a", base + "/.", tmp.toString()), null, log, ExitCode.INCOMPLETE,
                        "copy of " + base);
            }
            Files.deleteIfExists(log);
        }
        for (Patch patch : series.patches()) {
            for (String f : patch.files()) {
                unlink(tmp.resolve(f));
            }
        }
        try (Progress.Phase p = Progress.start("series", "apply " + series.patches().size() + " patch(es) with git apply")) {
            ApplyReport report;
            try {
                report = new SeriesApplier(options).apply(series, tmp);
            } catch (PatchApplyException e) {
                p.fail();
                throw new HarnessException(ExitCode.APPLY_FAILED, e.getMessage(), e);
            }
            Progress.always(report.toText());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.resolve(reportName).toFile(),
                    report);
        }
    }

    /** Replaces a hard link by a private copy, so patching it leaves the shared base alone. */
    private static void unlink(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            Path copy = file.resolveSibling(file.getFileName() + ".hmmtest-unlink");
            Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
            Files.move(copy, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static ApplyReport readReport(Path file) {
        try {
            return new ObjectMapper().readValue(file.toFile(), ApplyReport.class);
        } catch (IOException e) {
            return null; // the report is informative; the tree is what matters
        }
    }

    /** A local tree's identity: its git HEAD and a hash of uncommitted changes, else file times. */
    static Map<String, String> localIdentity(Path tree) {
        Map<String, String> id = new LinkedHashMap<>();
        id.put("path", tree.toString());
        String head = Exec.capture(List.of("git", "-C", tree.toString(), "rev-parse", "HEAD"));
        if (head != null) {
            id.put("head", head.trim());
            String describe = Exec.capture(List.of("git", "-C", tree.toString(), "describe", "--always", "--dirty"));
            id.put("describe", describe == null ? head.trim().substring(0, 12) : describe.trim());
            String diff = Exec.capture(List.of("git", "-C", tree.toString(), "diff", "HEAD"));
            id.put("uncommitted", Hashing.sha256(diff == null ? "" : diff));
        } else {
            StringBuilder sb = new StringBuilder();
            try (var s = Files.walk(tree)) {
                s.filter(Files::isRegularFile).sorted().forEach(f -> sb.append(f).append(f.toFile().lastModified())
                        .append(f.toFile().length()).append('\n'));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            id.put("files", Hashing.sha256(sb.toString()));
        }
        return id;
    }
}
