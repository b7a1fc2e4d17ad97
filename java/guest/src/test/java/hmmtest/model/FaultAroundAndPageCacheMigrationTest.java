package hmmtest.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Rules the differential fuzzer found the real kernel to follow (Rules.FAULT_AROUND_PAGES,
 * Rules.PAGE_CACHE_CONSUMES_FAIL_ALLOC), each reproduced here from its shrunk action list.
 */
class FaultAroundAndPageCacheMigrationTest {

    @Test
    void aReadFaultOnShmemMapsTheCachedNeighboursAgain() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = new Scenario(abi);
            s.run("mmap id=6 pages=3 prot=RW kind=ANON_SHARED thp=false", "read map=6 page=0", "open fd=0 dev=0",
                    "madvise map=6 page=0 pages=1 advice=DONTNEED", "read map=6 page=2");
            // page 0 is still in the page cache: fault-around maps it (writable: shared RW), page 1
            // was never allocated and stays unmapped
            assertThat(s.only("ioctl fd=0 cmd=SNAPSHOT map=6 page=0 npages=3").snapshot()).isEqualTo("02 00 02");
        }
    }

    @Test
    void faultAroundOfAPrivateFileMappingIsReadOnlyAndClampedToTheWindowAndTheVma() {
        Scenario s = new Scenario(AbiVersion.V7_3);
        s.run("mmap id=1 pages=40 prot=RW kind=FILE_PRIVATE thp=false", "open fd=0 dev=0");
        for (int p : new int[] {3, 15, 16, 20}) {
            s.run("read map=1 page=" + p);
        }
        s.run("madvise map=1 page=0 pages=40 advice=DONTNEED", "mprotect map=1 page=16 pages=24 prot=R");
        // the window of page 5 is [0,16): maps the cached 3 and 15, not 16 (next window)
        s.run("read map=1 page=5");
        String snap = s.only("ioctl fd=0 cmd=SNAPSHOT map=1 page=0 npages=21").snapshot();
        assertThat(snap.split(" ")[3]).isEqualTo("01");
        assertThat(snap.split(" ")[5]).isEqualTo("01");
        assertThat(snap.split(" ")[15]).isEqualTo("01");
        assertThat(snap.split(" ")[16]).isEqualTo("00");
        // the VMA [16,40) starts mid-window: the window runs from its start for 16 pages
        s.run("read map=1 page=17");
        snap = s.only("ioctl fd=0 cmd=SNAPSHOT map=1 page=16 npages=5").snapshot();
        assertThat(snap).isEqualTo("01 01 00 00 01");
    }

    @Test
    void aPageCachePageConsumesFailAllocOn73() {
        Scenario s = new Scenario(AbiVersion.V7_3, ModelOptions.defaults().withCoherentDevices(true));
        s.run("open fd=1 dev=3", "mmap id=2 pages=1 prot=RW kind=ANON_PRIVATE thp=false",
                "mmap id=9 pages=2 prot=RW kind=ANON_SHARED thp=false", "write map=9 page=1 token=0x5",
                "write map=2 page=0 token=0x7", "ioctl fd=1 cmd=FLAGS map=9 page=0 npages=1");
        // the shmem page is refused, but only after FAIL_ALLOC was spent on it
        assertThat(s.errno("ioctl fd=1 cmd=MIGRATE_TO_DEV map=9 page=1 npages=1")).isEqualTo(Errno.ENOENT);
        assertThat(s.only("ioctl fd=1 cmd=MIGRATE_TO_DEV map=2 page=0 npages=1").data()).containsExactly(7L);
        assertThat(s.model.devicePagesInUse(3)).isEqualTo(1);
    }
}
