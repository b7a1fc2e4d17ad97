package hmmtest.model;

import hmmtest.uapi.AbiVersion;

import hmmtest.uapi.Errno;

import hmmtest.uapi.Command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks every command goes through (docs/model-spec.md §3.1) and the unknown-command rule (§1.2). */
class PrologueTest {

    private static Scenario mapped(AbiVersion abi) {
        Scenario s = new Scenario(abi);
        s.run("mmap id=0 pages=4 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0");
        return s;
    }

    @Test
    void unalignedAddressIsEinvalForEveryCommandAndNothingIsCopiedBack() {
        for (AbiVersion abi : AbiVersion.values()) {
            for (Command c : Command.values()) {
                if (!abi.supports(c)) {
                    continue;
                }
                Scenario s = mapped(abi);
                Outcome o = s.only("ioctl fd=0 cmd=" + c + " map=0 page=0 byteoff=8 npages=1");
                assertThat(o.errno()).as(abi + " " + c).isEqualTo(Errno.EINVAL);
                assertThat(o.cpages()).as("cpages not copied back").isEqualTo(Outcome.POISON);
                assertThat(o.faults()).as("faults not copied back").isEqualTo(Outcome.POISON);
            }
        }
    }

    @Test
    void zeroPagesIsEinvalEvenForRelease() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = mapped(abi);
            assertThat(s.errno("ioctl fd=0 cmd=RELEASE map=0 page=0 npages=0")).isEqualTo(Errno.EINVAL);
            assertThat(s.errno("ioctl fd=0 cmd=CHECK_EXCLUSIVE map=0 page=0 npages=0")).isEqualTo(Errno.EINVAL);
            Outcome o = s.only("ioctl fd=0 cmd=READ map=0 page=0 npages=0");
            assertThat(o.errno()).isEqualTo(Errno.EINVAL);
            assertThat(o.data()).isEmpty(); // no buffer for zero pages
        }
    }

    @Test
    void wrapAroundIsEinval() {
        Scenario s = mapped(AbiVersion.V7_3);
        assertThat(s.errno("ioctl fd=0 cmd=READ map=0 page=0 npages=0xffffffffffffffff")).isEqualTo(Errno.EINVAL);
        // (npages << 12) == 2^64 - addr: addr + size wraps to exactly 0
        long addr = s.model.address(0, 0);
        long npages = (-addr) >>> 12;
        assertThat(s.errno("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=0x" + Long.toHexString(npages)))
                .isEqualTo(Errno.EINVAL);
    }

    @Test
    void npagesShiftIsTruncatedToU64() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = mapped(abi);
            s.run("write map=0 page=0 token=0x42");
            // 2^52 << 12 == 0: like npages 0
            assertThat(s.errno("ioctl fd=0 cmd=READ map=0 page=0 npages=0x10000000000000")).isEqualTo(Errno.EINVAL);
            // 2^52 + 1 behaves like 1 page
            assertThat(s.only("ioctl fd=0 cmd=READ map=0 page=0 npages=0x10000000000001"))
                    .isEqualTo(new Outcome(0, 1, 1, List.of(0x42L), ""));
        }
    }

    @Test
    void hugeBounceBufferIsEnomemBeforeAnythingHappens() {
        Scenario s = mapped(AbiVersion.V6_12);
        Outcome o = s.only("ioctl fd=0 cmd=READ map=0 page=0 npages=0x40000000");
        assertThat(o.errno()).isEqualTo(Errno.ENOMEM);
        assertThat(s.only("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=1").snapshot()).isEqualTo("00");
        assertThat(s.errno("ioctl fd=0 cmd=WRITE map=0 page=0 npages=0x40000000 token=1")).isEqualTo(Errno.ENOMEM);
    }

    @Test
    void hugeMigrateStopsAtTheFirstHoleWithEinvalAfterMigrating() {
        Scenario s = mapped(AbiVersion.V7_3);
        assertThat(s.errno("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=0x40000000")).isEqualTo(Errno.EINVAL);
        assertThat(s.model.devicePagesInUse(0)).isEqualTo(4); // earlier chunks stay migrated
    }

    @Test
    void unknownCommandsAreEinval() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = mapped(abi);
            assertThat(s.errno("ioctl fd=0 cmd=0xa map=0 page=0 npages=1")).isEqualTo(Errno.EINVAL);
            assertThat(s.errno("ioctl fd=0 cmd=0xff map=0 page=0 npages=1")).isEqualTo(Errno.EINVAL);
        }
        Scenario old = mapped(AbiVersion.V6_12);
        assertThat(old.errno("ioctl fd=0 cmd=FLAGS map=0 page=0 npages=1")).isEqualTo(Errno.EINVAL);
        assertThat(old.errno("ioctl fd=0 cmd=READ_UNLOCKED map=0 page=0 npages=1")).isEqualTo(Errno.EINVAL);
        Scenario neu = mapped(AbiVersion.V7_3);
        assertThat(neu.errno("ioctl fd=0 cmd=FLAGS map=0 page=0 npages=2")).isZero();
        assertThat(neu.only("ioctl fd=0 cmd=READ_UNLOCKED map=0 page=0 npages=1"))
                .isEqualTo(new Outcome(0, 1, 1, List.of(0L), ""));
    }

    @Test
    void flagsZeroIsRejectedByThePrologue() {
        Scenario s = mapped(AbiVersion.V7_3);
        assertThat(s.errno("ioctl fd=0 cmd=FLAGS map=0 page=0 npages=0")).isEqualTo(Errno.EINVAL);
    }

    @Test
    void requestNumbersMatchTheHeader() {
        assertThat(Command.READ.request()).isEqualTo(0xC0284800L);
        assertThat(Command.READ_UNLOCKED.request()).isEqualTo(0xC0284809L);
        assertThat((int) Command.RELEASE.request()).isEqualTo(-1071101945);
    }
}
