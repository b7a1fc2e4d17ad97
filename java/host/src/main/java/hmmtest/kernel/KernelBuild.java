package hmmtest.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** A published kernel build in the cache: bzImage, test_hmm.ko, .config and manifest.json. */
public record KernelBuild(Path dir) {
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

    public String kernelRelease() {
        return manifest().path("kernelRelease").asText();
    }
}
