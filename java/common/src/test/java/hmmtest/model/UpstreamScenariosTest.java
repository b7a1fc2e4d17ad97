package hmmtest.model;

import hmmtest.uapi.AbiVersion;

import hmmtest.uapi.Errno;

import static hmmtest.uapi.Errno.EFAULT;
import static hmmtest.uapi.Errno.EINVAL;
import static hmmtest.uapi.Errno.ENOENT;
import static hmmtest.uapi.Errno.EPERM;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Upstream hmm-tests.c scenarios (docs/model-spec.md §4, numbers in the method comments), scaled down to a
 * few pages, with the upstream assertions. The common ones run on both ABI versions.
 */
class UpstreamScenariosTest {

    @Nested
    class V612 extends Common {
        @Override
        AbiVersion abi() {
            return AbiVersion.V6_12;
        }
    }

    @Nested
    class V73 extends Common {
        @Override
        AbiVersion abi() {
            return AbiVersion.V7_3;
        }
    }

    /** Data pattern: page i of mapping 0 holds token 100 + i. */
    static void fill(Scenario s, int map, int from, int to) {
        for (int i = from; i < to; i++) {
            s.run("write map=" + map + " page=" + i + " token=" + (100 + i));
        }
    }

    abstract static class Common {
        abstract AbiVersion abi();

        Scenario s() {
            return new Scenario(abi());
        }

        /** #2 anon_read: pages >= 2 written, mprotect RO, CPU read of page 1; READ faults=1. */
        @Test
        void anonRead() {
            Scenario s = s();
            s.run("mmap id=0 pages=16 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0");
            fill(s, 0, 2, 16);
            s.run("mprotect map=0 page=0 pages=16 prot=R");
            assertThat(s.only("read map=0 page=1").data()).containsExactly(0L);
            Outcome o = s.only("ioctl fd=0 cmd=READ map=0 page=0 npages=16");
            List<Long> expect = new ArrayList<>(Scenario.tokens(0, 0));
            expect.addAll(Scenario.seq(102, 14));
            assertThat(o.errno()).isZero();
            assertThat(o.cpages()).isEqualTo(16);
            assertThat(o.faults()).isEqualTo(1);
            assertThat(o.data()).isEqualTo(expect);
        }

        /** #3 anon_read_prot: PROT_NONE gives EFAULT and leaves ptr untouched. */
        @Test
        void anonReadProt() {
            Scenario s = s();
            s.run("mmap id=0 pages=4 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0");
            fill(s, 0, 0, 4);
            s.run("mprotect map=0 page=0 pages=4 prot=NONE");
            Outcome o = s.only("ioctl fd=0 cmd=READ map=0 page=0 npages=4");
            assertThat(o.errno()).isEqualTo(EFAULT);
            assertThat(o.data()).isEqualTo(Scenario.repeat(PageContent.POISON_TOKEN, 4));
            assertThat(o.cpages()).isEqualTo(Outcome.POISON);
        }

        /** #4 anon_write: fresh memory, WRITE faults once, the CPU sees the data. */
        @Test
        void anonWrite() {
            Scenario s = s();
            s.run("mmap id=0 pages=8 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0");
            Outcome o = s.only("ioctl fd=0 cmd=WRITE map=0 page=0 npages=8 token=0x500");
            assertThat(o).isEqualTo(new Outcome(0, 8, 1, List.of(), ""));
            for (int i = 0; i < 8; i++) {
                assertThat(s.only("read map=0 page=" + i).data()).containsExactly(0x500L + i);
            }
        }

        /** #5 anon_write_prot: READ of a PROT_READ page works, WRITE is EPERM until mprotect RW. */
        @Test
        void anonWriteProt() {
            Scenario s = s();
            s.run("mmap id=0 pages=4 prot=R kind=ANON_PRIVATE thp=false", "open fd=0 dev=0");
            assertThat(s.only("ioctl fd=0 cmd=READ map=0 page=0 npages=1"))
                    .isEqualTo(new Outcome(0, 1, 1, List.of(0L), ""));
            assertThat(s.errno("ioctl fd=0 cmd=WRITE map=0 page=0 npages=4 token=0x10")).isEqualTo(EPERM);
            assertThat(s.only("read map=0 page=0").data()).containsExactly(0L);
            s.run("mprotect map=0 page=0 pages=4 prot=RW");
            assertThat(s.only("ioctl fd=0 cmd=WRITE map=0 page=0 npages=4 token=0x10"))
                    .isEqualTo(new Outcome(0, 4, 1, List.of(), ""));
            assertThat(s.only("read map=0 page=3").data()).containsExactly(0x13L);
        }

        /** #6 anon_write_child: the child's write to its private copy is invisible to the parent. */
        @Test
        void anonWriteChild() {
            Scenario s = s();
            s.run("mmap id=0 pages=4 prot=RW kind=ANON_PRIVATE thp=false");
            fill(s, 0, 0, 4);
            s.only("fork map=0 page=1 token=0x77");
            assertThat(s.only("read map=0 page=1").data()).containsExactly(101L);
        }

        /** #7 anon_write_child_shared: with MAP_SHARED the parent sees the child's write. */
        @Test
        void anonWriteChildShared() {
            Scenario s = s();
            s.run("mmap id=0 pages=4 prot=RW kind=ANON_SHARED thp=false");
            fill(s, 0, 0, 4);
            s.only("fork map=0 page=1 token=0x77");
            assertThat(s.only("read map=0 page=1").data()).containsExactly(0x77L);
        }

        /** #8 anon_write_huge: WRITE over a THP-eligible 2 MiB faults once. */
        @Test
        void anonWriteHuge() {
            Scenario s = s();
            s.run("mmap id=0 pages=512 prot=RW kind=ANON_PRIVATE thp=true", "open fd=0 dev=0");
            assertThat(s.only("ioctl fd=0 cmd=WRITE map=0 page=0 npages=512 token=0x1000"))
                    .isEqualTo(new Outcome(0, 512, 1, List.of(), ""));
            assertThat(s.only("read map=0 page=511").data()).containsExactly(0x1000L + 511);
            // THP or 4 KiB fallback: SNAPSHOT tells them apart
            Prediction p = s.predict("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=2");
            assertThat(p.outcomes()).extracting(Outcome::snapshot).containsExactlyInAnyOrder("06 06", "02 02");
        }

        /** #9 anon_write_hugetlbfs. */
        @Test
        void anonWriteHugetlbfs() {
            Scenario s = s();
            s.run("mmap id=0 pages=512 prot=RW kind=HUGETLB thp=false", "open fd=0 dev=0");
            assertThat(s.only("ioctl fd=0 cmd=WRITE map=0 page=0 npages=512 token=0x1000"))
                    .isEqualTo(new Outcome(0, 512, 1, List.of(), ""));
            assertThat(s.only("read map=0 page=7").data()).containsExactly(0x1007L);
        }

        /** #10 file_read: MAP_SHARED PROT_READ file holding data; READ faults once. */
        @Test
        void fileRead() {
            Scenario s = s();
            s.run("mmap id=0 pages=4 prot=RW kind=FILE_SHARED thp=false", "open fd=0 dev=0");
            fill(s, 0, 0, 4); // stands in for upstream's pwrite()
            s.run("mprotect map=0 page=0 pages=4 prot=R");
            assertThat(s.only("ioctl fd=0 cmd=READ map=0 page=0 npages=4"))
                    .isEqualTo(new Outcome(0, 4, 1, Scenario.seq(100, 4), ""));
        }

        /** #11 file_write: the data lands in the shared file pages. */
        @Test
        void fileWrite() {
            Scenario s = s();
            s.run("mmap id=0 pages=4 prot=RW kind=FILE_SHARED thp=false", "open fd=0 dev=0");
            assertThat(s.only("ioctl fd=0 cmd=WRITE map=0 page=0 npages=4 token=0x40"))
                    .isEqualTo(new Outcome(0, 4, 1, List.of(), ""));
            assertThat(s.only("read map=0 page=2").data()).containsExactly(0x42L);
        }

        /** #12 migrate: cpages = npages and ptr holds the data. */
        @Test
        void migrate() {
            Scenario s = s();
            s.run("mmap id=0 pages=8 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0");
            fill(s, 0, 0, 8);
            assertThat(s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=8"))
                    .isEqualTo(new Outcome(0, 8, 0, Scenario.seq(100, 8), ""));
            assertThat(s.model.devicePagesInUse(0)).isEqualTo(8);
        }

        /** #13 migrate_file_private: COWed private file pages are anonymous and migrate. */
        @Test
        void migrateFilePrivate() {
            Scenario s = s();
            s.run("mmap id=0 pages=4 prot=RW kind=FILE_PRIVATE thp=false", "open fd=0 dev=0");
            fill(s, 0, 0, 4);
            assertThat(s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=4").cpages()).isEqualTo(4);
        }

        /** #14 migrate_fault: CPU reads pull half back; a second MIGRATE_TO_DEV succeeds. */
        @Test
        void migrateFault() {
            Scenario s = s();
            s.run("mmap id=0 pages=8 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0");
            fill(s, 0, 0, 8);
            s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=8");
            for (int i = 0; i < 4; i++) {
                assertThat(s.only("read map=0 page=" + i).data()).containsExactly(100L + i);
            }
            assertThat(s.model.devicePagesInUse(0)).isEqualTo(4);
            assertThat(s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=8"))
                    .isEqualTo(new Outcome(0, 8, 0, Scenario.seq(100, 8), ""));
        }

        /** #15 migrate_release: RELEASE evicts, the data stays intact. */
        @Test
        void migrateRelease() {
            Scenario s = s();
            s.run("mmap id=0 pages=8 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0");
            fill(s, 0, 0, 8);
            s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=8");
            assertThat(s.only("ioctl fd=0 cmd=RELEASE map=0 page=0 npages=1")).isEqualTo(Outcome.ok());
            assertThat(s.model.devicePagesInUse(0)).isZero();
            assertThat(s.only("read map=0 page=5").data()).containsExactly(105L);
        }

        /** #16 migrate_shared: MAP_SHARED|MAP_ANONYMOUS is not migrated: ENOENT. */
        @Test
        void migrateShared() {
            Scenario s = s();
            s.run("mmap id=0 pages=4 prot=RW kind=ANON_SHARED thp=false", "open fd=0 dev=0");
            assertThat(s.errno("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=4")).isEqualTo(ENOENT);
        }

        /** #17 migrate_mixed (hmm2). */
        @Test
        void migrateMixed() {
            Scenario s = s();
            s.run("mmap id=0 pages=6 prot=NONE kind=ANON_PRIVATE thp=false", "open fd=0 dev=0", "open fd=1 dev=1");
            assertThat(s.errno("ioctl fd=1 cmd=MIGRATE_TO_DEV map=0 page=0 npages=6")).isEqualTo(EINVAL);
            s.run("munmap map=0 page=1 pages=1");
            assertThat(s.errno("ioctl fd=1 cmd=MIGRATE_TO_DEV map=0 page=0 npages=3")).isEqualTo(EINVAL);
            s.run("mprotect map=0 page=2 pages=1 prot=R", "read map=0 page=2",
                    "mprotect map=0 page=3 pages=1 prot=RW", "write map=0 page=3 token=0x33",
                    "mprotect map=0 page=3 pages=1 prot=R", "mprotect map=0 page=4 pages=2 prot=RW",
                    "write map=0 page=4 token=0x44", "write map=0 page=5 token=0x55");
            Outcome o = s.only("ioctl fd=1 cmd=MIGRATE_TO_DEV map=0 page=2 npages=4");
            assertThat(o).isEqualTo(new Outcome(0, 4, 0, Scenario.tokens(0, 0x33, 0x44, 0x55), ""));
            // "Page 5 won't be migrated to device 0 because it's on device 1"
            assertThat(s.errno("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=5 npages=1")).isEqualTo(ENOENT);
        }

        /** #22 snapshot (hmm2): FF FF 11 01 02 22 00. */
        @Test
        void snapshot() {
            Scenario s = s();
            s.run("mmap id=0 pages=7 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0", "open fd=1 dev=1",
                    "mprotect map=0 page=0 pages=1 prot=NONE", "munmap map=0 page=1 pages=1",
                    "mprotect map=0 page=2 pages=1 prot=R", "read map=0 page=2",
                    "write map=0 page=3 token=0x33", "mprotect map=0 page=3 pages=1 prot=R",
                    "write map=0 page=4 token=0x44",
                    "ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=5 npages=1",
                    "ioctl fd=1 cmd=MIGRATE_TO_DEV map=0 page=6 npages=1");
            assertThat(s.only("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=7"))
                    .isEqualTo(new Outcome(0, 7, 0, List.of(), "ff ff 11 01 02 22 00"));
        }

        /** #21 mixedmap: a MAP_PRIVATE mmap of the device file reads as 0x01. */
        @Test
        void mixedmap() {
            Scenario s = s();
            s.run("open fd=0 dev=0", "mmap id=0 pages=1 prot=R kind=DEVICE_FILE thp=false fd=0");
            assertThat(s.only("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=1"))
                    .isEqualTo(new Outcome(0, 1, 0, List.of(), "01"));
        }

        /** #23 compound: a hugetlb page reads as WRITE|PMD, after mprotect RO as READ|PMD. */
        @Test
        void compound() {
            Scenario s = s();
            s.run("mmap id=0 pages=512 prot=RW kind=HUGETLB thp=false", "open fd=0 dev=0", "write map=0 page=0 token=1");
            assertThat(s.only("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=512").snapshotBytes())
                    .containsOnly((byte) 0x06);
            s.run("mprotect map=0 page=0 pages=512 prot=R");
            assertThat(s.only("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=512").snapshotBytes())
                    .containsOnly((byte) 0x05);
        }

        /** #24 double_map (hmm2): device 1 migrates, device 0's READ pulls the pages back. */
        @Test
        void doubleMap() {
            Scenario s = s();
            s.run("mmap id=0 pages=6 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0", "open fd=1 dev=1");
            fill(s, 0, 0, 6);
            s.run("mprotect map=0 page=0 pages=6 prot=R");
            assertThat(s.only("ioctl fd=0 cmd=READ map=0 page=0 npages=6"))
                    .isEqualTo(new Outcome(0, 6, 1, Scenario.seq(100, 6), ""));
            assertThat(s.only("ioctl fd=1 cmd=READ map=0 page=0 npages=6").faults()).isEqualTo(1);
            assertThat(s.only("ioctl fd=1 cmd=MIGRATE_TO_DEV map=0 page=0 npages=6").cpages()).isEqualTo(6);
            assertThat(s.only("ioctl fd=0 cmd=READ map=0 page=0 npages=6"))
                    .isEqualTo(new Outcome(0, 6, 1, Scenario.seq(100, 6), ""));
            assertThat(s.model.devicePagesInUse(1)).isZero();
        }

        /** #25 exclusive: CPU access revokes everything, CHECK_EXCLUSIVE answers 0. */
        @Test
        void exclusive() {
            Scenario s = s();
            s.run("mmap id=0 pages=8 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0");
            fill(s, 0, 0, 8);
            assertThat(s.only("ioctl fd=0 cmd=EXCLUSIVE map=0 page=0 npages=8"))
                    .isEqualTo(new Outcome(0, 8, 0, Scenario.seq(100, 8), ""));
            for (int i = 0; i < 8; i++) {
                s.only("write map=0 page=" + i + " token=" + (101 + i));
            }
            assertThat(s.only("ioctl fd=0 cmd=CHECK_EXCLUSIVE map=0 page=0 npages=8")).isEqualTo(Outcome.ok());
        }

        /** #26 exclusive_mprotect: after mprotect RO, WRITE is EPERM. */
        @Test
        void exclusiveMprotect() {
            Scenario s = s();
            s.run("mmap id=0 pages=4 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0");
            fill(s, 0, 0, 4);
            s.only("ioctl fd=0 cmd=EXCLUSIVE map=0 page=0 npages=4");
            s.run("mprotect map=0 page=0 pages=4 prot=R");
            assertThat(s.errno("ioctl fd=0 cmd=WRITE map=0 page=0 npages=4 token=1")).isEqualTo(EPERM);
        }

        /** #27 exclusive_cow: fork restores the pages; parent and child keep their own data. */
        @Test
        void exclusiveCow() {
            Scenario s = s();
            s.run("mmap id=0 pages=4 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0");
            fill(s, 0, 0, 4);
            s.only("ioctl fd=0 cmd=EXCLUSIVE map=0 page=0 npages=4");
            s.only("fork map=0 page=0 token=0x99");
            assertThat(s.only("ioctl fd=0 cmd=CHECK_EXCLUSIVE map=0 page=0 npages=4")).isEqualTo(Outcome.ok());
            s.run("write map=0 page=0 token=0x101");
            assertThat(s.only("read map=0 page=0").data()).containsExactly(0x101L);
            assertThat(s.only("read map=0 page=1").data()).containsExactly(101L);
        }

        /** #29 hmm_cow_in_device: after fork, parent writes migrate back and COW; all 0x02. */
        @Test
        void cowInDevice() {
            Scenario s = s();
            s.run("mmap id=0 pages=4 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0");
            fill(s, 0, 0, 4);
            s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=4");
            s.only("fork map=0 page=0 token=0x99");
            for (int i = 0; i < 4; i++) {
                s.run("write map=0 page=" + i + " token=" + (200 + i));
            }
            assertThat(s.only("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=4").snapshot()).isEqualTo("02 02 02 02");
            assertThat(s.model.devicePagesInUse(0)).isZero();
        }

        /** #18/#19 migrate_multiple, anon_read_multiple: each round on a fresh buffer. */
        @Test
        void multiple() {
            Scenario s = s();
            s.run("open fd=0 dev=0");
            for (int c = 0; c < 4; c++) {
                s.run("mmap id=" + c + " pages=4 prot=RW kind=ANON_PRIVATE thp=false");
                for (int i = 0; i < 4; i++) {
                    s.run("write map=" + c + " page=" + i + " token=" + (c * 10 + i + 1));
                }
                assertThat(s.only("ioctl fd=0 cmd=READ map=" + c + " page=0 npages=4"))
                        .isEqualTo(new Outcome(0, 4, 1, Scenario.seq(c * 10 + 1, 4), ""));
                assertThat(s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=" + c + " page=0 npages=4").cpages()).isEqualTo(4);
                s.run("munmap map=" + c + " page=0 pages=4");
            }
            assertThat(s.model.devicePagesInUse(0)).isZero();
        }

        /** #34 migrate_partial_unmap_fault (small pages): unmap half after migrating, read the rest. */
        @Test
        void migratePartialUnmapFault() {
            Scenario s = s();
            s.run("mmap id=0 pages=8 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0");
            fill(s, 0, 0, 8);
            s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=8");
            s.run("munmap map=0 page=2 pages=4");
            assertThat(s.model.devicePagesInUse(0)).isEqualTo(4);
            assertThat(s.only("read map=0 page=7").data()).containsExactly(107L);
            assertThat(s.only("read map=0 page=0").data()).containsExactly(100L);
        }

        /** #35 migrate_remap_fault (small pages): mremap after migrating, read through the new address. */
        @Test
        void migrateRemapFault() {
            Scenario s = s();
            s.run("mmap id=0 pages=8 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0");
            fill(s, 0, 0, 8);
            s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=8");
            s.only("mremap map=0 page=0 pages=8 to=5 dontunmap=false");
            assertThat(s.only("read map=5 page=3").data()).containsExactly(103L);
            assertThat(s.model.mappingExtent(0)).isZero();
        }
    }

    /** 7.3-only tests (§4 #30–#37): THP-granular device migration and FLAGS. */
    @Nested
    class V73Only {
        Scenario s() {
            return new Scenario(AbiVersion.V7_3);
        }

        /** #30 migrate_anon_huge_empty: an untouched PROT_READ PMD migrates as zeros. */
        @Test
        void migrateAnonHugeEmpty() {
            Scenario s = s();
            s.run("mmap id=0 pages=512 prot=R kind=ANON_PRIVATE thp=true", "open fd=0 dev=0");
            Outcome o = s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=512");
            assertThat(o.cpages()).isEqualTo(512);
            assertThat(o.data()).containsOnly(0L);
            assertThat(s.only("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=1").snapshot()).isEqualTo("25");
        }

        /** #31 migrate_anon_huge_zero: the huge zero page migrates; the CPU still reads 0. */
        @Test
        void migrateAnonHugeZero() {
            Scenario s = s();
            s.run("mmap id=0 pages=512 prot=R kind=ANON_PRIVATE thp=true", "open fd=0 dev=0", "read map=0 page=0");
            assertThat(s.only("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=1").snapshot()).isEqualTo("05");
            Outcome o = s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=512");
            assertThat(o.cpages()).isEqualTo(512);
            assertThat(s.only("read map=0 page=9").data()).containsExactly(0L);
        }

        /** #33 migrate_anon_huge_fault: a device THP snapshots as 0x26; CPU reads bring it back. */
        @Test
        void migrateAnonHugeFault() {
            Scenario s = s();
            s.run("mmap id=0 pages=512 prot=RW kind=ANON_PRIVATE thp=true", "open fd=0 dev=0");
            s.run("ioctl fd=0 cmd=WRITE map=0 page=0 npages=512 token=0x1000");
            s.model.apply(Action.parse("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=2"),
                    new Outcome(0, 2, 0, List.of(), "06 06")); // observed: a THP was allocated
            assertThat(s.model.worldCount()).isEqualTo(1);
            assertThat(s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=512").cpages()).isEqualTo(512);
            assertThat(s.only("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=512").snapshotBytes())
                    .containsOnly((byte) 0x26);
            assertThat(s.only("read map=0 page=300").data()).containsExactly(0x1000L + 300);
            assertThat(s.model.devicePagesInUse(0)).isZero();
        }

        /** #36 migrate_anon_huge_err: FAIL_ALLOC makes THP migration fall back to small pages. */
        @Test
        void migrateAnonHugeErr() {
            Scenario s = s();
            s.run("mmap id=0 pages=512 prot=RW kind=ANON_PRIVATE thp=true", "open fd=0 dev=0");
            s.run("ioctl fd=0 cmd=WRITE map=0 page=0 npages=512 token=0x1000");
            s.model.apply(Action.parse("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=1"),
                    new Outcome(0, 1, 0, List.of(), "06"));
            assertThat(s.only("ioctl fd=0 cmd=FLAGS map=0 page=0 npages=1")).isEqualTo(Outcome.ok());
            Outcome o = s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=512");
            assertThat(o.cpages()).isEqualTo(512);
            assertThat(o.data().get(300)).isEqualTo(0x1000L + 300);
            assertThat(s.only("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=2").snapshot()).isEqualTo("22 22");
            // A device THP with FAIL_ALLOC on the way back: per-page fallback, still 0
            s.run("ioctl fd=0 cmd=MIGRATE_TO_SYS map=0 page=0 npages=512");
            s.run("mmap id=1 pages=512 prot=RW kind=ANON_PRIVATE thp=true");
            s.run("ioctl fd=0 cmd=MIGRATE_TO_DEV map=1 page=0 npages=512");
            assertThat(s.only("ioctl fd=0 cmd=SNAPSHOT map=1 page=0 npages=1").snapshot()).isEqualTo("26");
            s.run("ioctl fd=0 cmd=FLAGS map=0 page=0 npages=1");
            assertThat(s.only("ioctl fd=0 cmd=MIGRATE_TO_SYS map=1 page=0 npages=512"))
                    .isEqualTo(new Outcome(0, 512, 0, List.of(), ""));
        }

        /** #37 migrate_anon_huge_zero_err: FAIL_ALLOC on the huge zero page still migrates all. */
        @Test
        void migrateAnonHugeZeroErr() {
            Scenario s = s();
            s.run("mmap id=0 pages=512 prot=R kind=ANON_PRIVATE thp=true", "open fd=0 dev=0", "read map=0 page=0",
                    "ioctl fd=0 cmd=FLAGS map=0 page=0 npages=1");
            Outcome o = s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=512");
            assertThat(o.cpages()).isEqualTo(512);
            assertThat(o.data()).containsOnly(0L);
            assertThat(s.only("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=1").snapshot()).isEqualTo("21");
        }

        /** #6 anon_write_child with migrate=1: the child's fault migrates the shared device page. */
        @Test
        void anonWriteChildMigrated() {
            Scenario s = s();
            s.run("mmap id=0 pages=4 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0");
            fill(s, 0, 0, 4);
            s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=4");
            s.only("fork map=0 page=1 token=0x77");
            // page 1 came back to system memory read-only; the others stay on the device, read-only
            assertThat(s.only("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=4").snapshot()).isEqualTo("21 01 21 21");
            assertThat(s.only("read map=0 page=1").data()).containsExactly(101L);
        }
    }
}
