package hmmtest.model;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.uapi.AbiVersion;
import org.junit.jupiter.api.Test;

/** Rules.COHERENT_DEVICE_HAS_ONE_CHUNK and hazards H8, H9 (docs/model-spec.md §2.2). */
class CoherentPoolTest {

    private static Scenario coherent() {
        return new Scenario(AbiVersion.V7_3, new ModelOptions(1L << 19, true, false, 32));
    }

    /** The fuzzer's minimal list of 2026-12-04: the kernel answered 0x41, not 0x45. */
    @Test
    void aThpToACoherentDeviceFallsBackToSmallPagesAfterLoad() {
        Scenario s = coherent();
        s.run("mmap id=10 pages=512 prot=R kind=ANON_PRIVATE thp=false", "open fd=3 dev=3");
        assertThat(s.errno("ioctl fd=3 cmd=MIGRATE_TO_DEV map=10 page=0 npages=512")).isZero();
        assertThat(s.only("ioctl fd=3 cmd=SNAPSHOT map=10 page=0 npages=1").snapshot()).isEqualTo("41");
    }

    @Test
    void afterReleaseTheFirstRequestCarvesTheChunk() {
        Scenario s = coherent();
        s.run("mmap id=1 pages=512 prot=RW kind=ANON_PRIVATE thp=true", "mmap id=2 pages=4 prot=RW kind=ANON_PRIVATE thp=false",
                "open fd=0 dev=2", "ioctl fd=0 cmd=RELEASE map=1 page=0 npages=1");
        s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=1 page=0 npages=512"); // now a device THP
        assertThat(s.only("ioctl fd=0 cmd=SNAPSHOT map=1 page=0 npages=1").snapshot()).isEqualTo("46");
        // the chunk holds THP-sized folios only: a small page cannot be had, nothing migrates
        assertThat(s.errno("ioctl fd=0 cmd=MIGRATE_TO_DEV map=2 page=0 npages=1")).isEqualTo(hmmtest.uapi.Errno.ENOENT);
        // and a partial migration over the device THP splits it: the measured oops
        assertThat(s.predict("ioctl fd=0 cmd=MIGRATE_TO_DEV map=1 page=240 npages=70").hazards())
                .extracting(Hazard::kind).containsExactly(Hazard.Kind.H8_SPLIT_COHERENT_DEVICE_THP);
    }

    /** H10: the crash a private-devices-only run found within a minute (merged 7.3.4, seed 1). */
    @Test
    void evictingAPrivateDeviceThpIsAHazard() {
        Scenario s = new Scenario(AbiVersion.V7_3);
        s.run("mmap id=4 pages=512 prot=RW kind=ANON_PRIVATE thp=true", "open fd=1 dev=0",
                "ioctl fd=1 cmd=MIGRATE_TO_DEV map=4 page=0 npages=512");
        assertThat(s.predict("close fd=1").hazards())
                .extracting(Hazard::kind).containsExactly(Hazard.Kind.H10_EVICT_DEVICE_PRIVATE_THP);
        assertThat(s.predict("ioctl fd=1 cmd=RELEASE map=4 page=0 npages=1").hazards())
                .extracting(Hazard::kind).containsExactly(Hazard.Kind.H10_EVICT_DEVICE_PRIVATE_THP);
    }

    /** The fuzzer's minimal list of 2026-12-04 (seed 1, private devices): the kernel answered 0xff. */
    @Test
    void anotherDevicesPrivateThpSnapshotsAsError() {
        Scenario s = new Scenario(AbiVersion.V7_3);
        s.run("open fd=0 dev=0", "open fd=1 dev=1", "mmap id=4 pages=512 prot=R kind=ANON_PRIVATE thp=false",
                "ioctl fd=1 cmd=MIGRATE_TO_DEV map=4 page=0 npages=512");
        assertThat(s.only("ioctl fd=0 cmd=SNAPSHOT map=4 page=0 npages=1").snapshot()).isEqualTo("ff");
        assertThat(s.only("ioctl fd=1 cmd=SNAPSHOT map=4 page=0 npages=1").snapshot()).isEqualTo("25");
    }

    /** Rules.GUP_FAULTS_DEVICE_THP_BEFORE_SPLIT: the fuzzer's minimal list of 2026-12-04 (the kernel answered OK). */
    @Test
    void exclusiveFaultsADeviceThpBackBeforeSplittingIt() {
        Scenario s = new Scenario(AbiVersion.V7_3);
        s.run("mmap id=9 pages=512 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0",
                "ioctl fd=0 cmd=MIGRATE_TO_DEV map=9 page=0 npages=512", "open fd=1 dev=0",
                "ioctl fd=0 cmd=FLAGS map=3 page=0 npages=1");
        assertThat(s.errno("ioctl fd=1 cmd=EXCLUSIVE map=9 page=0 npages=1")).isZero();
        // FAIL_ALLOC made the THP come back as small pages: no PMD bit
        assertThat(s.only("ioctl fd=1 cmd=SNAPSHOT map=9 page=1 npages=1").snapshot()).isEqualTo("02");
    }

    @Test
    void aSmallFallbackWithoutSmallPagesIsAHazard() {
        Scenario s = coherent();
        s.run("mmap id=1 pages=512 prot=RW kind=ANON_PRIVATE thp=true", "mmap id=3 pages=512 prot=RW kind=ANON_PRIVATE thp=true",
                "open fd=0 dev=2", "ioctl fd=0 cmd=RELEASE map=1 page=0 npages=1",
                "ioctl fd=0 cmd=MIGRATE_TO_DEV map=1 page=0 npages=512", "ioctl fd=0 cmd=FLAGS map=1 page=0 npages=1");
        assertThat(s.predict("ioctl fd=0 cmd=MIGRATE_TO_DEV map=3 page=0 npages=512").hazards())
                .extracting(Hazard::kind).containsExactly(Hazard.Kind.H9_COHERENT_SMALL_FALLBACK_WITHOUT_PAGES);
    }
}
