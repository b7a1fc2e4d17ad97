package hmmtest.model;

import hmmtest.uapi.AbiVersion;

import hmmtest.uapi.Errno;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The invalidation rules of docs/model-spec.md §3.0: every event erases its range plus the next page, and
 * MIGRATE events of a mirror's own device are ignored. Mirror state is observed through READ's
 * {@code faults} (0 = every entry was still there, 1 = something had to be faulted again).
 */
class InvalidationTest {

    private static Scenario eightPagesMirrored(AbiVersion abi) {
        Scenario s = new Scenario(abi);
        s.run("mmap id=0 pages=8 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0");
        for (int i = 0; i < 8; i++) {
            s.run("write map=0 page=" + i + " token=" + (i + 1));
        }
        assertThat(s.only("ioctl fd=0 cmd=READ map=0 page=0 npages=8").faults()).isEqualTo(1);
        return s;
    }

    private static long faults(Scenario s, int page) {
        return s.only("ioctl fd=0 cmd=READ map=0 page=" + page + " npages=1").faults();
    }

    @Test
    void munmapErasesTheRangeAndOnePageMore() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = eightPagesMirrored(abi);
            s.run("munmap map=0 page=2 pages=2");
            assertThat(faults(s, 1)).isZero();
            assertThat(faults(s, 4)).as("page after the range").isEqualTo(1);
            assertThat(faults(s, 5)).isZero();
        }
    }

    @Test
    void mprotectErasesTheRangeAndOnePageMore() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = eightPagesMirrored(abi);
            s.run("mprotect map=0 page=0 pages=3 prot=R");
            assertThat(faults(s, 3)).isEqualTo(1);
            assertThat(faults(s, 4)).isZero();
            // mprotect to the same protection changes nothing, so it does not invalidate
            s.run("mprotect map=0 page=4 pages=1 prot=RW");
            assertThat(faults(s, 4)).isZero();
        }
    }

    @Test
    void dontneedErasesPlusOneAndDropsTheData() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = eightPagesMirrored(abi);
            s.run("madvise map=0 page=5 pages=1 advice=DONTNEED");
            assertThat(faults(s, 6)).isEqualTo(1);
            assertThat(faults(s, 7)).isZero();
            assertThat(s.only("ioctl fd=0 cmd=READ map=0 page=5 npages=1").data()).containsExactly(0L);
        }
    }

    @Test
    void madviseFreeInvalidatesButKeepsContents() {
        Scenario s = eightPagesMirrored(AbiVersion.V7_3);
        s.run("madvise map=0 page=0 pages=2 advice=FREE");
        assertThat(s.only("ioctl fd=0 cmd=READ map=0 page=0 npages=3").faults()).isEqualTo(1);
        assertThat(faults(s, 3)).isZero();
        assertThat(s.only("read map=0 page=1").data()).containsExactly(2L);
    }

    @Test
    void copyOnWriteOfTheZeroPageErasesThePageAfter() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = new Scenario(abi);
            s.run("mmap id=0 pages=4 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0");
            assertThat(s.only("ioctl fd=0 cmd=READ map=0 page=0 npages=4").faults()).isEqualTo(1); // zero pages
            s.run("write map=0 page=1 token=9"); // COW of the zero page: CLEAR over page 1
            assertThat(faults(s, 0)).isZero();
            assertThat(faults(s, 2)).as("page after the COW").isEqualTo(1);
            assertThat(faults(s, 3)).isZero();
        }
    }

    @Test
    void migrateOfTheSameDeviceIsIgnoredOtherDevicesErasePlusOne() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = eightPagesMirrored(abi);
            s.run("open fd=1 dev=1");
            s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=2");
            assertThat(faults(s, 2)).as("own device's MIGRATE event is ignored").isZero();
            s.only("ioctl fd=1 cmd=MIGRATE_TO_DEV map=0 page=4 npages=2");
            assertThat(faults(s, 6)).as("another device's MIGRATE erases the page after").isEqualTo(1);
            assertThat(faults(s, 3)).isZero();
            assertThat(s.only("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=6").snapshot())
                    .isEqualTo("22 22 02 02 00 00");
        }
    }

    @Test
    void forkInvalidatesPrivateVmasWithAnAnonVmaOnly() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = eightPagesMirrored(abi);
            s.run("mmap id=1 pages=4 prot=RW kind=ANON_PRIVATE thp=false",
                    "mmap id=2 pages=4 prot=RW kind=ANON_SHARED thp=false");
            s.run("write map=2 page=0 token=5");
            assertThat(s.only("ioctl fd=0 cmd=READ map=1 page=0 npages=4").faults()).isEqualTo(1); // zero pages only
            assertThat(s.only("ioctl fd=0 cmd=READ map=2 page=0 npages=4").faults()).isEqualTo(1);
            s.only("fork map=0 page=0 token=0x77");
            assertThat(faults(s, 3)).as("COW VMA with anon_vma").isEqualTo(1);
            assertThat(s.only("ioctl fd=0 cmd=READ map=1 page=0 npages=4").faults()).as("no anon_vma: not copied")
                    .isZero();
            assertThat(s.only("ioctl fd=0 cmd=READ map=2 page=0 npages=4").faults()).as("shared").isZero();
            // the parent's pages are now write-protected: a READ maps them read-only
            assertThat(s.only("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=1").snapshot()).isEqualTo("01");
        }
    }

    @Test
    void releaseEvictsEveryFdsPagesOfTheDeviceAndErases() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = eightPagesMirrored(abi);
            s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=4");
            s.run("open fd=1 dev=0");
            s.only("ioctl fd=1 cmd=RELEASE map=0 page=0 npages=1");
            assertThat(s.model.devicePagesInUse(0)).isZero();
            assertThat(s.only("ioctl fd=0 cmd=READ map=0 page=0 npages=5").faults()).isEqualTo(1);
            assertThat(faults(s, 5)).isZero();
        }
    }

    @Test
    void closeOfAnyFdOfTheDeviceEvictsAllItsPages() {
        Scenario s = eightPagesMirrored(AbiVersion.V7_3);
        s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=8");
        s.run("open fd=1 dev=0", "open fd=2 dev=1");
        s.run("close fd=2");
        assertThat(s.model.devicePagesInUse(0)).isEqualTo(8); // another device's close
        s.run("close fd=1");
        assertThat(s.model.devicePagesInUse(0)).isZero();
        assertThat(s.only("read map=0 page=3").data()).containsExactly(4L);
    }

    @Test
    void aDeviceFileMappingKeepsTheFileAliveAfterClose() {
        Scenario s = eightPagesMirrored(AbiVersion.V6_12);
        s.run("open fd=1 dev=0", "mmap id=3 pages=1 prot=R kind=DEVICE_FILE thp=false fd=1");
        s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=2");
        s.run("close fd=0");
        // fd 0's release evicted device 0; fd 1 is closed but still mapped
        assertThat(s.model.devicePagesInUse(0)).isZero();
        s.run("close fd=1");
        assertThat(s.model.liveFdHandles()).containsExactly(1);
        s.run("munmap map=3 page=0 pages=1");
        assertThat(s.model.liveFdHandles()).isEmpty();
    }

    @Test
    void mremapErasesTheOldRangeAndDontunmapLeavesItEmpty() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = eightPagesMirrored(abi);
            s.only("mremap map=0 page=0 pages=8 to=4 dontunmap=true");
            assertThat(s.only("read map=4 page=6").data()).containsExactly(7L);
            assertThat(s.only("read map=0 page=6").data()).as("old range is empty again").containsExactly(0L);
            assertThat(s.only("ioctl fd=0 cmd=READ map=4 page=0 npages=1").faults()).isEqualTo(1);
            // the emptied VMA lost its anon_vma: fork does not copy (or invalidate) it
            assertThat(s.only("ioctl fd=0 cmd=READ map=0 page=0 npages=8").faults()).isEqualTo(1);
            s.only("fork map=4 page=0 token=3");
            assertThat(s.only("ioctl fd=0 cmd=READ map=0 page=0 npages=8").faults()).isZero();
        }
    }

    /**
     * mremap(FIXED) over a range that is not one VMA: 6.12 refuses (EFAULT), 7.3 moves each VMA
     * and keeps the gaps (Rules.mremapMovesSeveralVmas; seen on a real 6.18 kernel by the fuzzer).
     */
    @Test
    void mremapBeyondOneVmaFailsOn612AndMovesEveryVmaOn73() {
        String[] setup = {"mmap id=0 pages=8 prot=RW kind=ANON_PRIVATE thp=false", "write map=0 page=1 token=0x11",
            "write map=0 page=5 token=0x55", "munmap map=0 page=3 pages=1", "mprotect map=0 page=5 pages=1 prot=R"};
        Scenario old = new Scenario(AbiVersion.V6_12);
        old.run(setup);
        assertThat(old.only("mremap map=0 page=0 pages=10 to=2 dontunmap=false").errno()).isEqualTo(Errno.EFAULT);
        assertThat(old.only("mremap map=0 page=0 pages=4 to=2 dontunmap=false").errno()).isEqualTo(Errno.EFAULT);
        assertThat(old.model.mappingExtent(2)).isZero();

        Scenario s = new Scenario(AbiVersion.V7_3);
        s.run(setup);
        assertThat(s.only("mremap map=0 page=3 pages=2 to=2 dontunmap=false").errno())
                .as("a hole at the start").isEqualTo(Errno.EFAULT);
        assertThat(s.only("mremap map=0 page=0 pages=10 to=2 dontunmap=false").errno()).isZero();
        assertThat(s.model.mappingExtent(0)).isZero();
        assertThat(s.model.mappingExtent(2)).isEqualTo(8);
        assertThat(s.only("read map=2 page=1").data()).containsExactly(0x11L);
        assertThat(s.only("read map=2 page=5").data()).containsExactly(0x55L);
        assertThat(s.model.protection(2, 3)).as("the gap moved along").isEmpty();
        assertThat(s.model.protection(2, 5)).contains(Prot.R);
        assertThat(s.model.protection(2, 6)).contains(Prot.RW);
    }

    @Test
    void mremapOfSeveralVmasOn73ErasesEachVmaPlusOnePage() {
        Scenario s = new Scenario(AbiVersion.V7_3);
        s.run("mmap id=0 pages=8 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0",
                "mprotect map=0 page=2 pages=1 prot=R");
        for (int i = 0; i < 8; i++) {
            s.run("read map=0 page=" + i);
        }
        assertThat(s.only("ioctl fd=0 cmd=READ map=0 page=0 npages=8").faults()).isEqualTo(1);
        // pages [0,4) are three VMAs; page 4 is only the +1 page of the last part
        s.only("mremap map=0 page=0 pages=4 to=3 dontunmap=false");
        assertThat(s.only("ioctl fd=0 cmd=READ map=0 page=5 npages=3").faults()).isZero();
        assertThat(s.only("ioctl fd=0 cmd=READ map=0 page=4 npages=1").faults()).isEqualTo(1);
    }

    /** Rules.VMA_SPLIT_CLEARS_ITS_PMD, as measured on 7.3 (the same probes, mirror entries per page). */
    @Test
    void splittingAVmaThatCoversA2MiBRegionErasesTheWholeRegion() {
        for (AbiVersion abi : AbiVersion.values()) {
            for (String op : new String[] {"munmap map=0 page=0 pages=1", "mprotect map=0 page=5 pages=1 prot=R",
                "madvise map=0 page=5 pages=1 advice=HUGEPAGE", "mremap map=0 page=5 pages=2 to=7 dontunmap=false"}) {
                Scenario s = new Scenario(abi);
                s.run("mmap id=0 pages=512 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0",
                        "ioctl fd=0 cmd=READ map=0 page=0 npages=512");
                s.run(op);
                assertThat(faults(s, 300)).as(abi + " " + op).isEqualTo(1);
                assertThat(faults(s, 511)).as(abi + " " + op).isEqualTo(1);
            }
            // no split (same protection, DONTUNMAP, DONTNEED) or a VMA smaller than 2 MiB: range + 1 only
            for (String[] c : new String[][] {{"512", "mprotect map=0 page=5 pages=1 prot=RW"},
                {"512", "mremap map=0 page=5 pages=2 to=7 dontunmap=true"},
                {"512", "madvise map=0 page=5 pages=1 advice=DONTNEED"}, {"256", "munmap map=0 page=5 pages=1"}}) {
                Scenario s = new Scenario(abi);
                s.run("mmap id=0 pages=" + c[0] + " prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0",
                        "ioctl fd=0 cmd=READ map=0 page=0 npages=" + c[0]);
                s.run(c[1]);
                assertThat(faults(s, 200)).as(abi + " " + c[1]).isZero();
                assertThat(faults(s, 4)).as(abi + " " + c[1]).isZero();
            }
        }
    }
}
