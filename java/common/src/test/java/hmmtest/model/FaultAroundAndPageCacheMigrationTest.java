package hmmtest.model;

import hmmtest.uapi.AbiVersion;

import hmmtest.uapi.Errno;

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

    /** Rules.SPLIT_MAPS_ZERO_SUBPAGES_TO_ZERO_PAGE: migrating one page of a THP splits it. */
    @Test
    void splittingATHPForMigrationMapsItsZeroFilledPagesToTheZeroPage() {
        Scenario s = new Scenario(AbiVersion.V7_3, ModelOptions.defaults().withCoherentDevices(true));
        s.run("open fd=0 dev=3", "mmap id=9 pages=512 prot=RW kind=ANON_PRIVATE thp=true", "write map=9 page=0 token=0x1",
                "write map=9 page=2 token=0x2");
        Prediction p = s.predict("ioctl fd=0 cmd=SNAPSHOT map=9 page=0 npages=3");
        assertThat(p.outcomes()).extracting(Outcome::snapshot).contains("06 06 06");
        s.run("ioctl fd=0 cmd=MIGRATE_TO_DEV map=9 page=0 npages=1");
        // with a THP: page 0 on the device, page 1 (never written) the zero page, page 2 kept
        assertThat(s.predict("ioctl fd=0 cmd=SNAPSHOT map=9 page=0 npages=3").outcomes())
                .extracting(Outcome::snapshot).contains("42 11 02");
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario t = new Scenario(abi);
            t.run("open fd=0 dev=0", "mmap id=9 pages=512 prot=RW kind=ANON_PRIVATE thp=true",
                    "write map=9 page=0 token=0x1");
            t.run("ioctl fd=0 cmd=MIGRATE_TO_DEV map=9 page=5 npages=1");
            // the zero-filled page 5 is migrated as a hole (device-private, writable); page 4 is the zero page
            assertThat(t.predict("ioctl fd=0 cmd=SNAPSHOT map=9 page=4 npages=2").outcomes())
                    .extracting(Outcome::snapshot).contains("11 22", "00 22");
        }
    }

    /** Rules.HMM_FAULT_FAIL_ALLOC_IS_ENOMEM: the shrunk divergence, ENOMEM where the model said EPERM. */
    @Test
    void anHmmFaultOnADevicePageWhoseMigratorFailsAllocationIsEnomemOn73() {
        Scenario s = new Scenario(AbiVersion.V7_3);
        s.run("mmap id=5 pages=3 prot=NONE kind=FILE_PRIVATE thp=false", "open fd=1 dev=1", "open fd=3 dev=0",
                "mprotect map=5 page=0 pages=1 prot=RW", "ioctl fd=3 cmd=WRITE map=5 page=0 npages=1 token=0x4a",
                "ioctl fd=3 cmd=MIGRATE_TO_DEV map=5 page=0 npages=2", "ioctl fd=3 cmd=FLAGS map=0 page=1 npages=3");
        assertThat(s.errno("ioctl fd=1 cmd=WRITE map=5 page=0 npages=2 token=0x40")).isEqualTo(Errno.ENOMEM);
        // the flag is spent and the page is still on device 0: the next fault migrates it back
        assertThat(s.model.devicePagesInUse(0)).isEqualTo(1);
        assertThat(s.errno("ioctl fd=1 cmd=READ map=5 page=0 npages=1")).isZero();
        assertThat(s.model.devicePagesInUse(0)).isZero();
        // a CPU fault retries instead
        Scenario c = new Scenario(AbiVersion.V7_3);
        c.run("mmap id=5 pages=1 prot=RW kind=ANON_PRIVATE thp=false", "open fd=3 dev=0", "write map=5 page=0 token=0x4a",
                "ioctl fd=3 cmd=MIGRATE_TO_DEV map=5 page=0 npages=1", "ioctl fd=3 cmd=FLAGS map=0 page=0 npages=1");
        assertThat(c.only("read map=5 page=0").data()).containsExactly(0x4aL);
    }

    /** Rules.SPLIT_RESTORES_EXCLUSIVE_READ_ONLY: the shrunk divergence (OK where the model said ENOENT). */
    @Test
    void splittingATHPForMigrationEndsTheExclusiveAccessOfItsPages() {
        Scenario s = new Scenario(AbiVersion.V7_3);
        s.run("open fd=0 dev=0", "mmap id=8 pages=512 prot=RW kind=ANON_PRIVATE thp=true", "open fd=2 dev=0",
                "ioctl fd=0 cmd=EXCLUSIVE map=8 page=160 npages=1");
        Prediction p = s.predict("ioctl fd=2 cmd=MIGRATE_TO_DEV map=8 page=151 npages=11");
        // with a THP behind the range the split restores page 160 and it migrates; with 4 KiB pages
        // (THP allocation failed) it stays exclusive and the read-back misses it
        assertThat(p.outcomes()).extracting(Outcome::errno).containsExactly(Errno.OK, Errno.ENOENT);
        assertThat(p.alternatives().get(1).because()).anyMatch(b -> b.contains("THP allocation"));
    }

    /**
     * Rules.migratingExclusiveEntryDropsWrite (7.3) and Rules.evictOfExclusiveCoherentPageLeaks
     * (6.12, hazard H7): an exclusive coherent page evicted by RELEASE or close.
     */
    @Test
    void anExclusiveCoherentPageEvictedComesBackReadOnlyOn73AndLeaksOn612() {
        String[] setup = {"open fd=1 dev=0", "open fd=3 dev=2", "mmap id=8 pages=8 prot=RW kind=ANON_PRIVATE thp=false",
            "write map=8 page=6 token=0x5", "ioctl fd=3 cmd=MIGRATE_TO_DEV map=8 page=6 npages=1",
            "ioctl fd=1 cmd=EXCLUSIVE map=8 page=6 npages=1"};
        Scenario s = new Scenario(AbiVersion.V7_3, ModelOptions.defaults().withCoherentDevices(true));
        s.run(setup);
        s.run("ioctl fd=3 cmd=RELEASE map=8 page=0 npages=1");
        assertThat(s.only("ioctl fd=1 cmd=SNAPSHOT map=8 page=6 npages=1").snapshot()).isEqualTo("01");
        assertThat(s.only("read map=8 page=6").data()).containsExactly(5L);

        for (String evict : new String[] {"ioctl fd=3 cmd=RELEASE map=8 page=0 npages=1", "close fd=3"}) {
            Scenario old = new Scenario(AbiVersion.V6_12, ModelOptions.defaults().withCoherentDevices(true));
            old.run(setup);
            assertThat(old.model.hazard(Action.parse(evict))).get().extracting(Hazard::kind)
                    .isEqualTo(Hazard.Kind.H7_EVICT_LEAKS_EXCLUSIVE_COHERENT_PAGE);
            assertThat(old.predict(evict).alternatives()).isEmpty();
            // without the exclusive entry nothing leaks
            Scenario ok = new Scenario(AbiVersion.V6_12, ModelOptions.defaults().withCoherentDevices(true));
            ok.run(java.util.Arrays.copyOf(setup, 5));
            assertThat(ok.model.hazard(Action.parse(evict))).isEmpty();
        }
    }

    /** Rules.CHILD_COW_FAULT_FILLS_PAGE_CACHE: the shrunk divergence from 7.3. */
    @Test
    void aChildsWriteToAPrivateFileMappingFillsThePageCacheForTheParentsFaultAround() {
        Scenario s = new Scenario(AbiVersion.V7_3);
        s.run("mmap id=4 pages=4 prot=RW kind=FILE_PRIVATE thp=false", "open fd=0 dev=0",
                "fork map=4 page=2 token=0xbc18", "open fd=1 dev=0", "ioctl fd=0 cmd=READ map=4 page=0 npages=1");
        assertThat(s.only("ioctl fd=1 cmd=SNAPSHOT map=4 page=0 npages=4").snapshot()).isEqualTo("01 00 01 00");
        assertThat(s.only("read map=4 page=2").data()).as("the parent still sees the file").containsExactly(0L);
    }
}
