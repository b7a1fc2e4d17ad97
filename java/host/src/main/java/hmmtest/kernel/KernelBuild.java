package hmmtest.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** A published kernel build in the cache: bzImage, test_hmm.ko, .config and manifest.json. */
public record KernelBuild(Path dir) {
    /** gcov notes and sources of a coverage build (the coverage profile); absent otherwise. */
    public static final String GCOV_DIR = "gcov";

    /** The gcov notes of a coverage build, if it is one. */
    public java.util.Optional<Path> gcovDir() {
        Path g = dir.resolve(GCOV_DIR);
        return java.nio.file.Files.isDirectory(g) ? java.util.Optional.of(g) : java.util.Optional.empty();
    }

    public Path bzImage() {
        return dir.resolve("bzImage");
    }

    public Path testHmmModule() {
        return dir.resolve("test_hmm.ko");
    }

    /** The tree's upstream hmm-tests, statically linked; absent when it did not build. */
    public Path upstreamSelftest() {
        return dir.resolve("hmm-tests");
    }

    public Path dotConfig() {
        return dir.resolve("config");
    }

    public Path manifestFile() {
        return dir.resolve("manifest.json");
    }

    public JsonNode manifest() {
        try {
            return new ObjectMapper().readTree(manifestFile().toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String id() {
        return dir.getFileName().toString();
    }

    /**
     * The artifacts whose content no longer matches the sha256 the manifest recorded when the
     * entry was built ("bzImage: sha256 X, the manifest says Y"); empty when all match. A cache
     * entry is immutable once published, so any difference means it was changed or damaged since:
     * it must not be booted. Hashes the few MiB of artifacts once (called once per run).
     */
    public java.util.List<String> mismatches() {
        java.util.List<String> out = new java.util.ArrayList<>();
        JsonNode artifacts;
        try {
            artifacts = manifest().path("artifacts");
        } catch (UncheckedIOException e) {
            return java.util.List.of("manifest.json: unreadable (" + e.getCause().getMessage() + ")");
        }
        if (!artifacts.isObject() || artifacts.isEmpty()) {
            return java.util.List.of("manifest.json: records no artifact hashes");
        }
        artifacts.fields().forEachRemaining(a -> {
            Path f = dir.resolve(a.getKey());
            if (!java.nio.file.Files.isRegularFile(f)) {
                out.add(a.getKey() + ": missing");
                return;
            }
            String found = hmmtest.infra.Hashing.sha256(f);
            if (!found.equals(a.getValue().asText())) {
                out.add(a.getKey() + ": sha256 " + found.substring(0, 16) + "..., the manifest says "
                        + a.getValue().asText().substring(0, Math.min(16, a.getValue().asText().length())) + "...");
            }
        });
        return out;
    }

    /**
     * Checks the entry against its manifest; a damaged one is said, discarded (renamed away at
     * once, then deleted) and false is returned, so the caller builds or imports it again.
     */
    public boolean verifyOrDiscard() {
        java.util.List<String> bad = mismatches();
        if (bad.isEmpty()) {
            return true;
        }
        hmmtest.infra.Progress.always("[kernel] the cached build " + dir + " does not match its manifest (changed after"
                + " it was built): " + String.join("; ", bad) + ". Discarded; building it again.");
        hmmtest.infra.CacheDir.discard(dir);
        return false;
    }

    public String kernelRelease() {
        return manifest().path("kernelRelease").asText();
    }
}
