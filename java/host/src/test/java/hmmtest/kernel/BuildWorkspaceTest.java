package hmmtest.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A kept build directory after a make that was killed: what that make wrote goes, what it found stays. */
class BuildWorkspaceTest {
    @TempDir
    Path tmp;

    @Test
    void filesWrittenByAKilledBuildAreRemovedBeforeTheNextOne() throws Exception {
        SourceMirror mirror = new SourceMirror(tmp.resolve("mirror"));
        try (BuildWorkspace ws = BuildWorkspace.open(mirror, "build-x", false)) {
            Files.createDirectories(ws.dir().resolve("mm"));
            Path old = Files.writeString(ws.dir().resolve("mm/rmap.o"), "");
            Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
            FileTime since = ws.begin(); // make starts...
            Files.createDirectories(ws.dir().resolve("lib"));
            Path half = Files.writeString(ws.dir().resolve("lib/test_hmm.o"), "half written");
            // ...and is killed: no end()
            assertThat(since).isNotNull();
            assertThat(half).exists();
        }
        try (BuildWorkspace ws = BuildWorkspace.open(mirror, "build-x", false)) {
            ws.begin();
            assertThat(ws.dir().resolve("lib/test_hmm.o")).doesNotExist();
            assertThat(ws.dir().resolve("mm/rmap.o")).exists();
            ws.end();
            assertThat(ws.dir().resolve(".hmmtest-building")).doesNotExist();
        }
    }

    @Test
    void aCleanBuildStartsFromAnEmptyDirectory() throws Exception {
        SourceMirror mirror = new SourceMirror(tmp.resolve("mirror"));
        try (BuildWorkspace ws = BuildWorkspace.open(mirror, "build-x", false)) {
            Files.writeString(ws.dir().resolve(".config"), "CONFIG_X=y\n");
            assertThat(ws.fresh()).isFalse();
        }
        try (BuildWorkspace ws = BuildWorkspace.open(mirror, "build-x", true)) {
            assertThat(ws.fresh()).isTrue();
        }
    }
}
