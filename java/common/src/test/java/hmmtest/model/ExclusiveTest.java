package hmmtest.model;

import hmmtest.uapi.AbiVersion;

import hmmtest.uapi.Errno;

import static hmmtest.uapi.AbiVersion.V6_12;
import static hmmtest.uapi.AbiVersion.V7_3;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * EXCLUSIVE and CHECK_EXCLUSIVE (docs/model-spec.md §3.8, §3.9, §5), including the 6.12 vs 7.3 table
 * measured on real kernels (measured.md "Exclusive access").
 */
class ExclusiveTest {

    private static Scenario anon(AbiVersion abi, int pages, String prot, String kind) {
        Scenario s = new Scenario(abi);
        s.run("mmap id=0 pages=" + pages + " prot=" + prot + " kind=" + kind + " thp=false", "open fd=0 dev=0");
        return s;
    }

    private static int exclusive(Scenario s, int pages) {
        return s.errno("ioctl fd=0 cmd=EXCLUSIVE map=0 page=0 npages=" + pages);
    }

    @Test
    void measuredFourSmallAnonPages() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = anon(abi, 4, "RW", "ANON_PRIVATE");
            for (int i = 0; i < 4; i++) {
                s.run("write map=0 page=" + i + " token=" + (i + 1));
            }
            assertThat(s.only("ioctl fd=0 cmd=EXCLUSIVE map=0 page=0 npages=4"))
                    .isEqualTo(new Outcome(0, 4, 0, Scenario.tokens(1, 2, 3, 4), ""));
            // measured.md: EPERM, CPU write to page 0, still EPERM (pages 2 and 3 stay ATOMIC)
            assertThat(s.errno("ioctl fd=0 cmd=CHECK_EXCLUSIVE map=0 page=0 npages=4")).isEqualTo(Errno.EPERM);
            s.run("write map=0 page=0 token=0x10");
            assertThat(s.errno("ioctl fd=0 cmd=CHECK_EXCLUSIVE map=0 page=0 npages=4")).isEqualTo(Errno.EPERM);
        }
    }

    @Test
    void measuredThpBacked2MiB() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = new Scenario(abi);
            s.run("mmap id=0 pages=512 prot=RW kind=ANON_PRIVATE thp=true", "open fd=0 dev=0",
                    "write map=0 page=0 token=7");
            // AnonHugePages 2048 kB: the executor sees a THP, which SNAPSHOT confirms
            s.model.apply(Action.parse("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=1"),
                    new Outcome(0, 1, 0, List.of(), "06"));
            Outcome o = s.only("ioctl fd=0 cmd=EXCLUSIVE map=0 page=0 npages=512");
            if (abi == V6_12) {
                assertThat(o.errno()).isEqualTo(Errno.EBUSY);
                // the head's rmap walk made all 512 PTEs exclusive, only the head has an ATOMIC entry
                assertThat(s.only("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=512").snapshotBytes())
                        .containsOnly((byte) 0);
                assertThat(s.errno("ioctl fd=0 cmd=CHECK_EXCLUSIVE map=0 page=0 npages=1")).isEqualTo(Errno.EPERM);
                assertThat(s.errno("ioctl fd=0 cmd=CHECK_EXCLUSIVE map=0 page=1 npages=511")).isZero();
            } else {
                assertThat(o.errno()).isZero();
                assertThat(o.cpages()).isEqualTo(512);
                assertThat(o.data().get(0)).isEqualTo(7L);
            }
        }
    }

    @Test
    void measuredProtReadPage() {
        assertThat(exclusive(anon(V6_12, 1, "R", "ANON_PRIVATE"), 1)).isEqualTo(Errno.EBUSY);
        assertThat(exclusive(anon(V7_3, 1, "R", "ANON_PRIVATE"), 1)).isEqualTo(Errno.EFAULT);
    }

    @Test
    void measuredSharedAnonymousPage() {
        assertThat(exclusive(anon(V6_12, 1, "RW", "ANON_SHARED"), 1)).isEqualTo(Errno.EBUSY);
        assertThat(exclusive(anon(V7_3, 1, "RW", "ANON_SHARED"), 1)).isEqualTo(Errno.EOPNOTSUPP);
    }

    @Test
    void measuredUnmappedPage() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = anon(abi, 1, "RW", "ANON_PRIVATE");
            int e = s.errno("ioctl fd=0 cmd=EXCLUSIVE map=9 page=0 npages=1");
            assertThat(e).isEqualTo(abi == V6_12 ? Errno.EBUSY : Errno.EFAULT);
        }
    }

    @Test
    void hugetlbAndSharedFileAndPrivateFile() {
        Scenario h612 = new Scenario(V6_12);
        h612.run("mmap id=0 pages=512 prot=RW kind=HUGETLB thp=false", "open fd=0 dev=0");
        assertThat(exclusive(h612, 1)).isEqualTo(Errno.EBUSY);
        Scenario h73 = new Scenario(V7_3);
        h73.run("mmap id=0 pages=512 prot=RW kind=HUGETLB thp=false", "open fd=0 dev=0");
        assertThat(exclusive(h73, 1)).isEqualTo(Errno.EOPNOTSUPP);
        assertThat(exclusive(anon(V7_3, 2, "RW", "FILE_SHARED"), 2)).isEqualTo(Errno.EOPNOTSUPP);
        // MAP_PRIVATE file memory works: FOLL_WRITE COWs it to anonymous pages
        assertThat(exclusive(anon(V6_12, 2, "RW", "FILE_PRIVATE"), 2)).isZero();
        assertThat(exclusive(anon(V7_3, 2, "RW", "FILE_PRIVATE"), 2)).isZero();
    }

    @Test
    void failureStateDiffersBetweenVersions() {
        // four mapped pages then a hole, in one 64-page chunk
        Scenario s612 = anon(V6_12, 4, "RW", "ANON_PRIVATE");
        assertThat(exclusive(s612, 5)).isEqualTo(Errno.EBUSY);
        // GUP returned fewer pages than asked: converted on the CPU side, but no ATOMIC entries
        assertThat(s612.only("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=5").snapshot()).isEqualTo("00 00 00 00 ff");
        assertThat(s612.errno("ioctl fd=0 cmd=CHECK_EXCLUSIVE map=0 page=0 npages=4")).isZero();

        Scenario s73 = anon(V7_3, 4, "RW", "ANON_PRIVATE");
        assertThat(exclusive(s73, 5)).isEqualTo(Errno.EFAULT);
        // pages before the failing one stay exclusive and ATOMIC-mapped
        assertThat(s73.only("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=5").snapshot()).isEqualTo("00 00 00 00 ff");
        assertThat(s73.errno("ioctl fd=0 cmd=CHECK_EXCLUSIVE map=0 page=3 npages=1")).isEqualTo(Errno.EPERM);
    }

    @Test
    void cpuTouchRevokesThePageAndErasesTheNextOnesAtomicEntry() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = anon(abi, 4, "RW", "ANON_PRIVATE");
            assertThat(exclusive(s, 4)).isZero();
            assertThat(s.only("read map=0 page=1").data()).containsExactly(0L);
            // the +1 quirk: page 2 is still device-exclusive on the CPU side but lost its ATOMIC entry
            assertThat(s.errno("ioctl fd=0 cmd=CHECK_EXCLUSIVE map=0 page=2 npages=1")).isZero();
            assertThat(s.only("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=4").snapshot()).isEqualTo("00 02 00 00");
            assertThat(s.errno("ioctl fd=0 cmd=CHECK_EXCLUSIVE map=0 page=3 npages=1")).isEqualTo(Errno.EPERM);
            assertThat(s.errno("ioctl fd=0 cmd=CHECK_EXCLUSIVE map=0 page=0 npages=1")).isEqualTo(Errno.EPERM);
        }
    }

    @Test
    void exclusiveErasesThePageAfterTheRange() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = anon(abi, 4, "RW", "ANON_PRIVATE");
            s.only("ioctl fd=0 cmd=READ map=0 page=3 npages=1");
            assertThat(exclusive(s, 3)).isZero();
            assertThat(s.only("ioctl fd=0 cmd=READ map=0 page=3 npages=1").faults()).isEqualTo(1);
        }
    }

    @Test
    void sameMirrorReadKeepsButWriteRevokes() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = anon(abi, 2, "RW", "ANON_PRIVATE");
            assertThat(exclusive(s, 2)).isZero();
            assertThat(s.only("ioctl fd=0 cmd=READ map=0 page=0 npages=2").faults()).isZero();
            assertThat(s.errno("ioctl fd=0 cmd=CHECK_EXCLUSIVE map=0 page=0 npages=2")).isEqualTo(Errno.EPERM);
            assertThat(s.only("ioctl fd=0 cmd=WRITE map=0 page=0 npages=2 token=5").faults()).isEqualTo(1);
            assertThat(s.errno("ioctl fd=0 cmd=CHECK_EXCLUSIVE map=0 page=0 npages=2")).isZero();
            assertThat(s.only("read map=0 page=1").data()).containsExactly(6L);
        }
    }

    @Test
    void anotherMirrorsReadRevokes() {
        Scenario s = anon(V7_3, 2, "RW", "ANON_PRIVATE");
        s.run("open fd=1 dev=1");
        assertThat(exclusive(s, 2)).isZero();
        assertThat(s.only("ioctl fd=1 cmd=READ map=0 page=0 npages=2").faults()).isEqualTo(1);
        assertThat(s.errno("ioctl fd=0 cmd=CHECK_EXCLUSIVE map=0 page=0 npages=2")).isZero();
    }

    @Test
    void migrateToDevSucceedsOverOwnAtomicEntriesWithoutMigrating() {
        Scenario s = anon(V6_12, 2, "RW", "ANON_PRIVATE");
        assertThat(exclusive(s, 2)).isZero();
        assertThat(s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=2").cpages()).isEqualTo(2);
        assertThat(s.model.devicePagesInUse(0)).isZero();
        assertThat(s.errno("ioctl fd=0 cmd=CHECK_EXCLUSIVE map=0 page=0 npages=2")).isEqualTo(Errno.EPERM);
    }

    @Test
    void restoreAfterMprotectDiffersBetweenVersions() {
        // 6.12 downgrades a writable exclusive entry on mprotect; 7.3 recomputes on restore
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = anon(abi, 1, "RW", "ANON_PRIVATE");
            assertThat(exclusive(s, 1)).isZero();
            s.run("mprotect map=0 page=0 pages=1 prot=R", "mprotect map=0 page=0 pages=1 prot=RW", "read map=0 page=0");
            String expect = abi == V6_12 ? "01" : "02";
            assertThat(s.only("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=1").snapshot()).isEqualTo(expect);
        }
    }
}
