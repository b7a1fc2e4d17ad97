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
        SourceMirror mirror;
        java.util.function.Supplier<Map<String, SourceMirror.Source>> view;
        boolean local = spec.base() instanceof KernelBase.LocalTree;
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
            mirror = new SourceMirror(cache.dir("work").resolve(base.getFileName().toString()));
            Path debianTree = base;
            view = PreparedSource.lazily(() -> SourceMirror.viewOf(debianTree, "base"));
        } else {
            KernelBase.LocalTree t = (KernelBase.LocalTree) spec.base();
            base = t.path();
            mirror = new SourceMirror(cache.dir("work").resolve("tree-" + base.getFileName() + "-"
                    + Hashing.sha256(base.toString()).substring(0, 12)));
            try (Progress.Phase p = Progress.start("kernel", "scan " + base + " (source files; build outputs left out)")) {
                Map<String, SourceMirror.Source> scanned = SourceMirror.viewOf(base, "tree");
                view = () -> scanned;
                identity.putAll(localIdentity(base, mirror.contentHash(scanned)));
            }
            version = identity.getOrDefault("describe", "local");
        }
        if (spec.series() == null) {
            return new PreparedSource(base, identity, null, null, version, mirror, view, local);
        }
        Series series = readSeries(spec.series());
        try {
            return applied(base, identity, series, spec.excludes(), version, mirror, view, local);
        } catch (HarnessException e) {
            // Documentation cannot change the kernel under test: when only its hunks fail (the seed
            // page lost the zh_CN text's full-width punctuation), skip them, and say so.
            if (e.getCause() instanceof PatchApplyException pae && pae.file() != null
                    && pae.file().startsWith("Documentation/") && !spec.excludes().contains(DOCS)) {
                Progress.always("[series] only documentation failed to apply (" + pae.file() + "): retrying with "
                        + DOCS + " excluded; documentation does not affect the kernel under test");
                List<String> excludes = new java.util.ArrayList<>(spec.excludes());
                excludes.add(DOCS);
                return applied(base, identity, series, excludes, version, mirror, view, local);
            }
            throw e;
        }
    }

    static final String DOCS = "Documentation/*";

    /**
     * Applies the series to copies of only the files it touches (git apply reads nothing else),
     * published as a small immutable cache entry; the view is the base with those files put over it.
     */
    private PreparedSource applied(Path base, Map<String, String> identity, Series series, List<String> excludes,
            String version, SourceMirror mirror, java.util.function.Supplier<Map<String, SourceMirror.Source>> baseView,
            boolean local) {
        ApplyOptions options = ApplyOptions.defaults().withExcludes(excludes.toArray(String[]::new));
        Hashing.Key key = new Hashing.Key();
        identity.forEach(key::add);
        series.patches().forEach(p -> key.add("patch " + p.index(), p.sha256()));
        key.add("excludes", excludes);
        Path entry = mirror.dir().resolve("series").resolve(key.hex().substring(0, 12));
        List<String> touched = series.patches().stream().flatMap(p -> p.files().stream()).distinct().toList();
        Path reportFile = entry.resolve(".hmmtest-apply.json");
        if (!Files.isRegularFile(reportFile)) {
            CacheDir.sweepTemporaries(entry.getParent());
            CacheDir.publish(entry, tmp -> applyInto(tmp, base, touched, series, options, reportFile.getFileName().toString()));
        }
        ApplyReport report = readReport(reportFile);
        var view = PreparedSource.lazily(() -> SourceMirror.overlay(baseView.get(), entry, touched, "series:" + entry));
        return new PreparedSource(base, identity, series, report, version, mirror, view, local);
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

    private void applyInto(Path tmp, Path base, List<String> touched, Series series, ApplyOptions options,
            String reportName) throws IOException {
        for (String f : touched) {
            Path from = base.resolve(f);
            if (Files.isRegularFile(from, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(tmp.resolve(f).getParent());
                Files.copy(from, tmp.resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        try (Progress.Phase p = Progress.start("series", "apply " + series.patches().size() + " patch(es) with git apply")) {
            ApplyReport report;
            try {
                report = new SeriesApplier(options).apply(series, tmp);
                // applied to copies of the touched files; the report names the base it was applied on
                report = new ApplyReport(base, report.excludes(), report.minContext(), report.patches());
            } catch (PatchApplyException e) {
                p.fail();
                throw new HarnessException(ExitCode.APPLY_FAILED, e.getMessage(), e);
            }
            Progress.always(report.toText());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.resolve(reportName).toFile(),
                    report);
        }
    }

    private static ApplyReport readReport(Path file) {
        try {
            return new ObjectMapper().readValue(file.toFile(), ApplyReport.class);
        } catch (IOException e) {
            return null; // the report is informative; the tree is what matters
        }
    }

    /** A local tree's identity: the content of its source files, and git's description of it when it has one. */
    static Map<String, String> localIdentity(Path tree, String contentSha256) {
        Map<String, String> id = new LinkedHashMap<>();
        id.put("path", tree.toString());
        id.put("content", contentSha256);
        String head = Exec.capture(List.of("git", "-C", tree.toString(), "rev-parse", "HEAD"));
        if (head != null && !head.isBlank()) {
            String describe = Exec.capture(List.of("git", "-C", tree.toString(), "describe", "--always", "--dirty"));
            id.put("describe", describe == null ? head.trim().substring(0, 12) : describe.trim());
        } else {
            id.put("describe", "local-" + contentSha256.substring(0, 12));
        }
        return id;
    }
}
