package hmmtest.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The working copy a kept build directory builds from: only changed content is touched, always with a fresh time. */
class SourceMirrorTest {
    @TempDir
    Path tmp;

    private Path write(Path root, String rel, String text) throws IOException {
        Path f = root.resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return f;
    }

    @Test
    void scanLeavesOutWhatAnInTreeBuildWrote() throws IOException {
        Path t = tmp.resolve("tree");
        write(t, "Makefile", "all:");
        write(t, ".gitignore", "*.o");
        write(t, "lib/test_hmm.c", "int x;");
        write(t, "arch/x86/boot/header.S", "/* source */");
        // what `make defconfig && make` in the tree leaves behind
        write(t, ".config", "CONFIG_X=y");
        write(t, "include/config/auto.conf", "");
        write(t, "include/generated/autoconf.h", "");
        write(t, "arch/x86/include/generated/asm/unistd_64.h", "");
        write(t, "lib/test_hmm.o", "");
        write(t, "lib/.test_hmm.o.cmd", "");
        write(t, "scripts/basic/fixdep", "ELF");
        write(t, "scripts/basic/.fixdep.cmd", "");
        write(t, "scripts/kconfig/parser.tab.c", ""); // bison wrote both; only .parser.tab.h.cmd exists
        write(t, "scripts/kconfig/parser.tab.h", "");
        write(t, "scripts/kconfig/.parser.tab.h.cmd", "");
        write(t, "arch/x86/boot/bzImage", "");
        write(t, "arch/x86/boot/.bzImage.cmd", "");
        write(t, "vmlinux", "");
        write(t, "System.map", "");
        write(t, ".git/HEAD", "ref");
        Files.createSymbolicLink(t.resolve("lib/link.c"), Path.of("test_hmm.c"));

        assertEquals(Set.of("Makefile", ".gitignore", "lib/test_hmm.c", "arch/x86/boot/header.S", "lib/link.c"),
                TreeScan.scan(t).keySet());
    }

    @Test
    void onlyChangedContentIsTouchedAndAlwaysGetsAFreshTime() throws Exception {
        Path base = tmp.resolve("base");
        write(base, "Makefile", "all:");
        write(base, "mm/rmap.c", "rmap v1");
        write(base, "lib/test_hmm.c", "hmm v1");
        Files.setLastModifiedTime(base.resolve("mm/rmap.c"), FileTime.fromMillis(1_000_000L)); // an old source time
        SourceMirror m = new SourceMirror(tmp.resolve("mirror"));
        Map<String, SourceMirror.Source> baseView = SourceMirror.viewOf(base, "base");

        SourceMirror.SyncStats first = m.sync(baseView, true);
        assertEquals(3, first.copied());
        FileTime makefileTime = Files.getLastModifiedTime(m.tree().resolve("Makefile"));

        // a series changes mm/rmap.c, adds a file and deletes lib/test_hmm.c
        Path series = tmp.resolve("series");
        write(series, "mm/rmap.c", "rmap v2");
        write(series, "mm/new.c", "new");
        Map<String, SourceMirror.Source> patched = SourceMirror.overlay(baseView, series,
                List.of("mm/rmap.c", "mm/new.c", "lib/test_hmm.c"), "series");
        long beforeSync = System.currentTimeMillis() - 2;
        SourceMirror.SyncStats second = m.sync(patched, true);
        assertEquals(2, second.copied());
        assertEquals(1, second.deleted());
        assertEquals("rmap v2", Files.readString(m.tree().resolve("mm/rmap.c")));
        assertFalse(Files.exists(m.tree().resolve("lib/test_hmm.c")));
        assertEquals(makefileTime, Files.getLastModifiedTime(m.tree().resolve("Makefile")), "unchanged file untouched");

        // back to the base: rmap.c's content is the old one, but its time must be new (objects were built since)
        SourceMirror.SyncStats third = m.sync(baseView, true);
        assertEquals("rmap v1", Files.readString(m.tree().resolve("mm/rmap.c")));
        assertTrue(Files.getLastModifiedTime(m.tree().resolve("mm/rmap.c")).toMillis() >= beforeSync,
                "a reverted file gets a fresh time, never the source's old one");
        assertFalse(Files.exists(m.tree().resolve("mm/new.c")));
        assertEquals(2, third.copied()); // rmap.c and test_hmm.c

        // nothing changed: nothing copied, nothing hashed
        SourceMirror.SyncStats idle = m.sync(baseView, true);
        assertEquals(0, idle.copied());
        assertEquals(0, idle.hashed());
    }

    @Test
    void touchedButEqualContentKeepsItsTime() throws Exception {
        Path base = tmp.resolve("base");
        Path f = write(base, "mm/rmap.c", "same");
        SourceMirror m = new SourceMirror(tmp.resolve("mirror"));
        m.sync(SourceMirror.viewOf(base, "tree"), false);
        FileTime t0 = Files.getLastModifiedTime(m.tree().resolve("mm/rmap.c"));
        Thread.sleep(20);
        Files.writeString(f, "same"); // saved again without a change
        SourceMirror.SyncStats s = m.sync(SourceMirror.viewOf(base, "tree"), false);
        assertEquals(1, s.hashed());
        assertEquals(0, s.copied());
        assertEquals(t0, Files.getLastModifiedTime(m.tree().resolve("mm/rmap.c")));
    }

    @Test
    void anInterruptedSyncIsCheckedFileByFile() throws Exception {
        Path base = tmp.resolve("base");
        write(base, "a.c", "a");
        write(base, "b.c", "b");
        SourceMirror m = new SourceMirror(tmp.resolve("mirror"));
        m.sync(SourceMirror.viewOf(base, "tree"), false);
        Files.delete(m.tree().resolve("b.c")); // as if a sync died after removing it
        Files.writeString(m.dir().resolve("syncing"), "");
        m.sync(SourceMirror.viewOf(base, "tree"), false);
        assertEquals("b", Files.readString(m.tree().resolve("b.c")));
        assertFalse(Files.exists(m.dir().resolve("syncing")));
    }

    @Test
    void theContentHashFollowsContentNotTimes() throws Exception {
        Path base = tmp.resolve("base");
        Path f = write(base, "a.c", "a");
        SourceMirror m = new SourceMirror(tmp.resolve("mirror"));
        String h1 = m.contentHash(SourceMirror.viewOf(base, "tree"));
        Files.setLastModifiedTime(f, FileTime.fromMillis(5_000_000L));
        assertEquals(h1, m.contentHash(SourceMirror.viewOf(base, "tree")));
        Files.writeString(f, "b");
        assertNotEquals(h1, m.contentHash(SourceMirror.viewOf(base, "tree")));
    }
}
