package hmmtest.model;

import hmmtest.uapi.AbiVersion;

import hmmtest.uapi.Errno;

import static hmmtest.uapi.AbiVersion.V6_12;
import static hmmtest.uapi.AbiVersion.V7_3;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-command details of docs/model-spec.md §3.2–§3.11 not covered by the upstream scenarios. */
class IoctlTest {

    private static Scenario anon(AbiVersion abi, int pages) {
        Scenario s = new Scenario(abi);
        s.run("mmap id=0 pages=" + pages + " prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0");
        return s;
    }

    @Test
    void readFaultsZeroTimesWhenEveryEntryIsPresent() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = anon(abi, 4);
            assertThat(s.only("ioctl fd=0 cmd=READ map=0 page=0 npages=4").faults()).isEqualTo(1);
            assertThat(s.only("ioctl fd=0 cmd=READ map=0 page=0 npages=4"))
                    .isEqualTo(new Outcome(0, 4, 0, Scenario.repeat(0L, 4), ""));
        }
    }

    @Test
    void readOverAHoleIsEfaultButFaultsTheMappedPrefix() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = anon(abi, 2);
            assertThat(s.errno("ioctl fd=0 cmd=READ map=0 page=0 npages=3")).isEqualTo(Errno.EFAULT);
            // the walk faulted pages 0 and 1 in (zero pages) before it reached the hole
            assertThat(s.only("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=3").snapshot()).isEqualTo("11 11 ff");
        }
    }

    @Test
    void readFaultRoundsFollowTheChunkSize() {
        // an entry missing in a later chunk: earlier chunks' entries survive a failed round
        Scenario s = anon(V7_3, 40);
        s.run("mprotect map=0 page=39 pages=1 prot=NONE");
        assertThat(s.errno("ioctl fd=0 cmd=READ map=0 page=0 npages=40")).isEqualTo(Errno.EFAULT);
        // 7.3 faults in 32-page chunks: the first chunk's entries were stored
        assertThat(s.only("ioctl fd=0 cmd=READ map=0 page=0 npages=32").faults()).isZero();
        Scenario old = anon(V6_12, 40);
        old.run("mprotect map=0 page=39 pages=1 prot=NONE");
        assertThat(old.errno("ioctl fd=0 cmd=READ map=0 page=0 npages=40")).isEqualTo(Errno.EFAULT);
        // 6.12 uses one 64-page chunk: nothing was stored
        assertThat(old.only("ioctl fd=0 cmd=READ map=0 page=0 npages=32").faults()).isEqualTo(1);
    }

    @Test
    void writeIsPartialWhenALaterPageFails() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = anon(abi, 3);
            s.only("ioctl fd=0 cmd=WRITE map=0 page=0 npages=2 token=0x10");
            s.run("mprotect map=0 page=2 pages=1 prot=R");
            Outcome o = s.only("ioctl fd=0 cmd=WRITE map=0 page=0 npages=3 token=0x20");
            assertThat(o.errno()).isEqualTo(Errno.EPERM);
            assertThat(o.cpages()).isEqualTo(Outcome.POISON);
            // pages 0 and 1 had WRITE entries: they were written before the fault failed
            assertThat(s.only("read map=0 page=1").data()).containsExactly(0x21L);
            assertThat(s.only("read map=0 page=2").data()).containsExactly(0L);
        }
    }

    @Test
    void writeToAProtNonePageIsEfaultNotEperm() {
        Scenario s = anon(V7_3, 1);
        s.run("mprotect map=0 page=0 pages=1 prot=NONE");
        assertThat(s.errno("ioctl fd=0 cmd=WRITE map=0 page=0 npages=1 token=1")).isEqualTo(Errno.EFAULT);
    }

    @Test
    void migrateToDevCpagesIsNpagesNotTheNumberMigrated() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = anon(abi, 4);
            s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=2");
            assertThat(s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=4").cpages()).isEqualTo(4);
            assertThat(s.model.devicePagesInUse(0)).isEqualTo(4);
        }
    }

    @Test
    void migrateToDevOfHolesTagsDependOnTheVersion() {
        // 6.12 tags a page populated from a hole WRITE when the VMA is writable: WRITE needs no fault
        Scenario s = anon(V6_12, 2);
        s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=2");
        assertThat(s.only("ioctl fd=0 cmd=WRITE map=0 page=0 npages=2 token=3").faults()).isZero();
        assertThat(s.model.devicePagesInUse(0)).isEqualTo(2);
        assertThat(s.only("read map=0 page=1").data()).containsExactly(4L);
        // 7.3 leaves them untagged (no MIGRATE_PFN_WRITE without a source page): WRITE would fault,
        // find its own device page and copy into it (hazard H1)
        Scenario n = anon(V7_3, 2);
        n.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=2");
        assertThat(n.model.hazard(Action.parse("ioctl fd=0 cmd=WRITE map=0 page=0 npages=2 token=3")))
                .hasValueSatisfying(h -> assertThat(h.kind()).isEqualTo(Hazard.Kind.H1_DEVICE_PRIVATE_MEMCPY));
    }

    @Test
    void migrateToDevOfSharedAndFileMemoryIsEnoentAndPrivateFileHolesAreSkipped() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = new Scenario(abi);
            s.run("mmap id=0 pages=2 prot=RW kind=FILE_SHARED thp=false", "mmap id=1 pages=2 prot=RW kind=FILE_PRIVATE thp=false",
                    "open fd=0 dev=0", "write map=0 page=0 token=1");
            assertThat(s.errno("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=1")).isEqualTo(Errno.ENOENT);
            assertThat(s.errno("ioctl fd=0 cmd=MIGRATE_TO_DEV map=1 page=0 npages=1")).isEqualTo(Errno.ENOENT);
            assertThat(s.model.devicePagesInUse(0)).isZero();
        }
    }

    @Test
    void migrateOverHugetlbOrTheDeviceFileIsEinval() {
        Scenario s = new Scenario(V6_12);
        s.run("open fd=0 dev=0", "mmap id=0 pages=512 prot=RW kind=HUGETLB thp=false",
                "mmap id=1 pages=1 prot=R kind=DEVICE_FILE thp=false fd=0");
        assertThat(s.errno("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=1")).isEqualTo(Errno.EINVAL);
        assertThat(s.errno("ioctl fd=0 cmd=MIGRATE_TO_DEV map=1 page=0 npages=1")).isEqualTo(Errno.EINVAL);
        assertThat(s.errno("ioctl fd=0 cmd=MIGRATE_TO_SYS map=1 page=0 npages=1")).isEqualTo(Errno.EINVAL);
        assertThat(s.only("ioctl fd=0 cmd=READ map=1 page=0 npages=1"))
                .isEqualTo(new Outcome(0, 1, 1, List.of(0L), ""));
        assertThat(s.errno("ioctl fd=0 cmd=WRITE map=1 page=0 npages=1 token=1")).isEqualTo(Errno.EPERM);
    }

    @Test
    void migrateToSysCountsOnlyThisDevicesPages() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = anon(abi, 6);
            s.run("open fd=1 dev=1");
            for (int i = 0; i < 6; i++) {
                s.run("write map=0 page=" + i + " token=" + (i + 1));
            }
            s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=2");
            s.only("ioctl fd=1 cmd=MIGRATE_TO_DEV map=0 page=2 npages=2");
            assertThat(s.only("ioctl fd=0 cmd=MIGRATE_TO_SYS map=0 page=0 npages=6"))
                    .isEqualTo(new Outcome(0, 2, 0, List.of(), ""));
            assertThat(s.only("ioctl fd=0 cmd=MIGRATE_TO_SYS map=0 page=0 npages=6").cpages()).isZero();
            assertThat(s.model.devicePagesInUse(1)).isEqualTo(2);
            // the explicit erase: fd 0's entries of the migrated pages are gone
            assertThat(s.only("ioctl fd=0 cmd=READ map=0 page=0 npages=2").faults()).isEqualTo(1);
            assertThat(s.errno("ioctl fd=0 cmd=MIGRATE_TO_SYS map=0 page=0 npages=7")).isEqualTo(Errno.EINVAL);
        }
    }

    @Test
    void failAllocIsOneShot() {
        Scenario s = anon(V7_3, 2);
        s.run("write map=0 page=0 token=1", "write map=0 page=1 token=2");
        s.only("ioctl fd=0 cmd=FLAGS map=0 page=0 npages=1");
        // the first page's allocation fails: not migrated, no entry, ENOENT
        assertThat(s.errno("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=2")).isEqualTo(Errno.ENOENT);
        assertThat(s.model.devicePagesInUse(0)).isEqualTo(1);
        assertThat(s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=2").cpages()).isEqualTo(2);
        s.only("ioctl fd=0 cmd=FLAGS map=0 page=0 npages=1");
        assertThat(s.errno("ioctl fd=0 cmd=MIGRATE_TO_SYS map=0 page=0 npages=2")).isEqualTo(Errno.ENOMEM);
        assertThat(s.model.devicePagesInUse(0)).isEqualTo(2);
        assertThat(s.only("ioctl fd=0 cmd=MIGRATE_TO_SYS map=0 page=0 npages=2").cpages()).isEqualTo(2);
        // flags = 2 clears FAIL_ALLOC (flags = 0 is rejected by the prologue)
        s.only("ioctl fd=0 cmd=FLAGS map=0 page=0 npages=1");
        s.only("ioctl fd=0 cmd=FLAGS map=0 page=0 npages=2");
        assertThat(s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=2").cpages()).isEqualTo(2);
    }

    @Test
    void coherentDevicePagesStayCpuAccessible() {
        Scenario s = new Scenario(V7_3, ModelOptions.defaults().withCoherentDevices(true));
        s.run("mmap id=0 pages=2 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=2", "open fd=1 dev=3",
                "write map=0 page=0 token=5", "write map=0 page=1 token=6");
        s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=2");
        assertThat(s.only("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=2").snapshot()).isEqualTo("42 42");
        assertThat(s.only("ioctl fd=1 cmd=SNAPSHOT map=0 page=0 npages=2").snapshot()).isEqualTo("52 52");
        s.run("write map=0 page=0 token=9"); // no migration back
        assertThat(s.model.devicePagesInUse(2)).isEqualTo(2);
        assertThat(s.only("ioctl fd=0 cmd=MIGRATE_TO_SYS map=0 page=0 npages=2").cpages()).isEqualTo(2);
        assertThat(s.only("read map=0 page=0").data()).containsExactly(9L);
    }

    @Test
    void snapshotBytesForEachKindOfMemory() {
        Scenario s = new Scenario(V6_12);
        s.run("open fd=0 dev=0",
                "mmap id=0 pages=3 prot=RW kind=ANON_SHARED thp=false", "read map=0 page=0",
                "mmap id=1 pages=2 prot=RW kind=FILE_PRIVATE thp=false", "read map=1 page=0", "write map=1 page=1 token=1",
                "mmap id=2 pages=512 prot=R kind=ANON_PRIVATE thp=true", "read map=2 page=3");
        assertThat(s.only("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=2").snapshot()).isEqualTo("02 00");
        assertThat(s.only("ioctl fd=0 cmd=SNAPSHOT map=1 page=0 npages=2").snapshot()).isEqualTo("01 02");
        // the huge zero page is not the zero pfn: READ|PMD
        assertThat(s.only("ioctl fd=0 cmd=SNAPSHOT map=2 page=0 npages=2").snapshot()).isEqualTo("05 05");
    }

    @Test
    void checkExclusiveIgnoresOtherMirrorsAndTheEndPage() {
        Scenario s = anon(V7_3, 4);
        s.run("open fd=1 dev=1");
        s.only("ioctl fd=0 cmd=EXCLUSIVE map=0 page=2 npages=1");
        assertThat(s.errno("ioctl fd=1 cmd=CHECK_EXCLUSIVE map=0 page=0 npages=4")).isZero();
        assertThat(s.errno("ioctl fd=0 cmd=CHECK_EXCLUSIVE map=0 page=0 npages=2")).isZero();
        assertThat(s.errno("ioctl fd=0 cmd=CHECK_EXCLUSIVE map=0 page=0 npages=3")).isEqualTo(Errno.EPERM);
    }

    /** The fuzzer's counterexample on 7.3 (seed 1, action 278), shrunk to 7 actions. */
    @Test
    void aChildsFaultOnADevicePageConsumesTheMigratorsFailAlloc() {
        Scenario s = new Scenario(AbiVersion.V7_3, ModelOptions.defaults().withCoherentDevices(true));
        s.run("mmap id=1 pages=6 prot=RW kind=ANON_PRIVATE thp=false", "open fd=3 dev=1",
                "ioctl fd=3 cmd=MIGRATE_TO_DEV map=1 page=3 npages=3", "ioctl fd=3 cmd=FLAGS map=1 page=0 npages=1",
                "fork map=1 page=4 token=0x8d7ba832ed498027", "open fd=1 dev=3");
        Outcome o = s.only("ioctl fd=1 cmd=WRITE map=1 page=5 npages=1 token=0x1");
        assertThat(o.errno()).as("the flag is gone: the fault on page 5 migrates it back").isZero();
        assertThat(o.cpages()).isEqualTo(1);
        assertThat(o.faults()).isEqualTo(1);
    }
}
