package hmmtest.model;

import hmmtest.uapi.AbiVersion;

import hmmtest.uapi.Errno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The hazards of docs/model-spec.md §3.14 (and the §0 note): the model must see them coming. */
class HazardTest {

    private static Scenario migrated(AbiVersion abi) {
        Scenario s = new Scenario(abi);
        s.run("mmap id=0 pages=4 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0");
        for (int i = 0; i < 4; i++) {
            s.run("write map=0 page=" + i + " token=" + (i + 1));
        }
        s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=4");
        return s;
    }

    private static Optional<Hazard.Kind> hazard(Scenario s, String line) {
        return s.model.hazard(Action.parse(line)).map(Hazard::kind);
    }

    @Test
    void h1SecondFdOnTheSameDevice() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = migrated(abi);
            s.run("open fd=1 dev=0", "open fd=2 dev=1");
            assertThat(hazard(s, "ioctl fd=1 cmd=READ map=0 page=0 npages=1"))
                    .contains(Hazard.Kind.H1_DEVICE_PRIVATE_MEMCPY);
            assertThat(hazard(s, "ioctl fd=1 cmd=WRITE map=0 page=0 npages=1 token=1"))
                    .contains(Hazard.Kind.H1_DEVICE_PRIVATE_MEMCPY);
            // the migrating fd, another device and a snapshot are all fine
            assertThat(hazard(s, "ioctl fd=0 cmd=READ map=0 page=0 npages=4")).isEmpty();
            assertThat(hazard(s, "ioctl fd=2 cmd=READ map=0 page=0 npages=4")).isEmpty();
            assertThat(hazard(s, "ioctl fd=1 cmd=SNAPSHOT map=0 page=0 npages=4")).isEmpty();
        }
    }

    @Test
    void h1ReadAfterMprotectOrForkFollowingMigrate() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = migrated(abi);
            s.run("mprotect map=0 page=0 pages=4 prot=R");
            assertThat(hazard(s, "ioctl fd=0 cmd=READ map=0 page=0 npages=1"))
                    .contains(Hazard.Kind.H1_DEVICE_PRIVATE_MEMCPY);
            Scenario f = migrated(abi);
            f.run("mmap id=1 pages=1 prot=RW kind=ANON_PRIVATE thp=false");
            f.only("fork map=1 page=0 token=9");
            assertThat(hazard(f, "ioctl fd=0 cmd=READ map=0 page=2 npages=1"))
                    .contains(Hazard.Kind.H1_DEVICE_PRIVATE_MEMCPY);
            // a CPU read first migrates the page back: then READ is safe
            f.run("read map=0 page=2");
            assertThat(hazard(f, "ioctl fd=0 cmd=READ map=0 page=2 npages=1")).isEmpty();
        }
    }

    @Test
    void h1WhenAFaultRoundReachesAnOwnDevicePageInALaterChunk() {
        // One fd only: the round starts at a missing entry and stores every page of its chunk,
        // including this device's own page (reported, not faulted), over the good backing entry.
        Scenario s = new Scenario(AbiVersion.V7_3);
        s.run("mmap id=0 pages=40 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0",
                "ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=33 npages=1", "write map=0 page=32 token=1");
        assertThat(hazard(s, "ioctl fd=0 cmd=READ map=0 page=33 npages=1")).isEmpty();
        assertThat(hazard(s, "ioctl fd=0 cmd=READ map=0 page=32 npages=2"))
                .contains(Hazard.Kind.H1_DEVICE_PRIVATE_MEMCPY);
        // in the same PMD step the fault loop migrates it back instead: no hazard
        assertThat(hazard(s, "ioctl fd=0 cmd=READ map=0 page=31 npages=1")).isEmpty();
    }

    @Test
    void h2WriteOnAReadOnlyOwnDevicePage() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = migrated(abi);
            s.run("mmap id=1 pages=1 prot=RW kind=ANON_PRIVATE thp=false");
            s.only("fork map=1 page=0 token=9");
            Prediction p = s.predict("ioctl fd=0 cmd=WRITE map=0 page=0 npages=1 token=5");
            assertThat(p.hazards()).extracting(Hazard::kind).containsExactly(Hazard.Kind.H2_WARN_READONLY_DEVICE_PRIVATE);
            // not fatal: the model still predicts the EFAULT that follows the WARN
            assertThat(p.outcomes()).extracting(Outcome::errno).containsExactly(Errno.EFAULT);
        }
    }

    @Test
    void h3StaleEntryOfAFreedPage() {
        Scenario s = new Scenario(AbiVersion.V6_12);
        s.run("mmap id=0 pages=1 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0", "open fd=1 dev=0",
                "write map=0 page=0 token=3");
        s.only("ioctl fd=1 cmd=READ map=0 page=0 npages=1");
        // fd 0 migrates; the MIGRATE event belongs to device 0, so fd 1 keeps its entry to the freed page
        s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=1");
        assertThat(hazard(s, "ioctl fd=1 cmd=READ map=0 page=0 npages=1")).contains(Hazard.Kind.H3_STALE_FREED_PAGE);
        Prediction p = s.predict("ioctl fd=1 cmd=READ map=0 page=0 npages=1");
        assertThat(p.alternatives()).isEmpty();
        assertThat(p.fatalHazard()).isPresent();
        assertThatThrownBy(() -> s.run("ioctl fd=1 cmd=READ map=0 page=0 npages=1"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void invalidActionsReportNoHazard() {
        Scenario s = migrated(AbiVersion.V7_3);
        assertThat(s.model.invalid(Action.parse("ioctl fd=5 cmd=READ map=0 page=0 npages=1"))).isPresent();
        assertThat(hazard(s, "ioctl fd=5 cmd=READ map=0 page=0 npages=1")).isEmpty();
    }
}
