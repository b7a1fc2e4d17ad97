package hmmtest.model;

import hmmtest.uapi.AbiVersion;

import hmmtest.uapi.Errno;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** PMD-mapped memory: when it splits, what a split erases, and what survives (docs/model-spec.md §3.0, §3.5). */
class ThpTest {

    /** A written THP-eligible 2 MiB region, with the THP confirmed by SNAPSHOT. */
    private static Scenario thp(AbiVersion abi) {
        Scenario s = new Scenario(abi);
        s.run("mmap id=0 pages=512 prot=RW kind=ANON_PRIVATE thp=true", "open fd=0 dev=0",
                "ioctl fd=0 cmd=WRITE map=0 page=0 npages=512 token=0x1000");
        s.model.apply(Action.parse("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=1"), new Outcome(0, 1, 0, List.of(), "06"));
        assertThat(s.model.worldCount()).isEqualTo(1);
        return s;
    }

    private static String snap(Scenario s, int page) {
        return s.only("ioctl fd=0 cmd=SNAPSHOT map=0 page=" + page + " npages=1").snapshot();
    }

    @Test
    void mprotectOfPartSplitsThePmdAndErasesAllOfIt() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = thp(abi);
            s.run("mprotect map=0 page=0 pages=10 prot=R");
            assertThat(snap(s, 0)).isEqualTo("01");
            assertThat(snap(s, 100)).isEqualTo("02");
            assertThat(s.only("ioctl fd=0 cmd=READ map=0 page=100 npages=1").faults()).as("CLEAR over the PMD").isEqualTo(1);
        }
    }

    @Test
    void mprotectOfTheWholePmdKeepsItHuge() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = thp(abi);
            s.run("mprotect map=0 page=0 pages=512 prot=R");
            assertThat(snap(s, 300)).isEqualTo("05");
            s.run("mprotect map=0 page=0 pages=512 prot=RW");
            assertThat(snap(s, 300)).as("exclusive THP: writable again").isEqualTo("06");
        }
    }

    @Test
    void munmapOfHalfLeavesAPteMappedFolio() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = thp(abi);
            s.run("munmap map=0 page=256 pages=256");
            assertThat(snap(s, 10)).isEqualTo("02");
            assertThat(s.only("read map=0 page=255").data()).containsExactly(0x1000L + 255);
            // 6.12 cannot migrate PTE-mapped pages of a large folio; 7.3 splits the folio first
            int e = s.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=4").errno();
            assertThat(e).isEqualTo(abi == AbiVersion.V6_12 ? Errno.ENOENT : 0);
        }
    }

    @Test
    void dontneedOfTheWholePmdEmptiesItSoTheHugeZeroPageComesBack() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = thp(abi);
            s.run("madvise map=0 page=0 pages=512 advice=DONTNEED", "read map=0 page=7");
            assertThat(snap(s, 7)).isEqualTo("05");
        }
    }

    @Test
    void nohugepageOnPartOfAThpSplitsItsPmd() {
        Scenario s = thp(AbiVersion.V7_3);
        s.run("madvise map=0 page=0 pages=1 advice=NOHUGEPAGE");
        assertThat(snap(s, 1)).isEqualTo("02");
    }

    /** The fuzzer's counterexample on 6.12 (seed 1): MIGRATE_TO_SYS of one system page of a THP. */
    @Test
    void migrateToSysSplitsASystemThpOn612Only() {
        Scenario old = thp(AbiVersion.V6_12);
        assertThat(old.only("ioctl fd=0 cmd=MIGRATE_TO_SYS map=0 page=0 npages=1").cpages()).isZero();
        assertThat(snap(old, 401)).as("split: PTE-mapped, its own page").isEqualTo("02");
        assertThat(old.only("ioctl fd=0 cmd=EXCLUSIVE map=0 page=0 npages=1").errno()).as("PTE-mapped now").isZero();

        Scenario zero = new Scenario(AbiVersion.V6_12);
        zero.run("mmap id=0 pages=512 prot=RW kind=ANON_PRIVATE thp=true", "open fd=0 dev=0", "write map=0 page=0 token=0x1");
        zero.model.apply(Action.parse("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=1"), new Outcome(0, 1, 0, List.of(), "06"));
        zero.run("ioctl fd=0 cmd=MIGRATE_TO_SYS map=0 page=0 npages=1");
        assertThat(snap(zero, 401)).as("a zero-filled subpage becomes the zero page").isEqualTo("11");

        Scenario now = thp(AbiVersion.V7_3);
        now.run("ioctl fd=0 cmd=MIGRATE_TO_SYS map=0 page=0 npages=1");
        assertThat(snap(now, 401)).as("7.3 skips the PMD").isEqualTo("06");
    }

    @Test
    void migrateToDevOfAWholeThp() {
        Scenario old = thp(AbiVersion.V6_12);
        assertThat(old.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=512").cpages()).isEqualTo(512);
        assertThat(snap(old, 0)).as("6.12 splits the folio: small device pages").isEqualTo("22");
        Scenario neu = thp(AbiVersion.V7_3);
        assertThat(neu.only("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=512").cpages()).isEqualTo(512);
        assertThat(snap(neu, 0)).isEqualTo("26");
        // MIGRATE_TO_SYS of a whole device THP: cpages counts the compound entry once (Rules)
        assertThat(neu.only("ioctl fd=0 cmd=MIGRATE_TO_SYS map=0 page=0 npages=512").cpages()).isEqualTo(1);
        assertThat(snap(neu, 0)).isEqualTo("06");
    }

    @Test
    void forkWriteProtectsThePmdAndTheParentReusesIt() {
        Scenario s = thp(AbiVersion.V6_12);
        s.only("fork map=0 page=3 token=5");
        assertThat(snap(s, 3)).isEqualTo("05");
        s.only("write map=0 page=3 token=6");
        assertThat(snap(s, 3)).isEqualTo("06");
        assertThat(s.only("read map=0 page=4").data()).containsExactly(0x1004L);
    }

    /**
     * A page of a THP that fork shared and a split left PTE-mapped: 6.12 copies it on write (never
     * reuses a large folio's page: the CLEAR erases the mirror entry, READ faults again), 7.3
     * reuses it while other pages of the folio are mapped (no invalidation, READ does not fault). Rules#largeFolioWriteAfterForkReuses; the
     * shape of the false divergence of baseline seed 1, sequence 67.
     */
    @Test
    void writeAfterForkToASplitThpCopiesOn612AndReusesOn73() {
        for (AbiVersion abi : AbiVersion.values()) {
            Scenario s = thp(abi);
            s.only("fork map=0 page=100 token=5");
            s.only("mprotect map=0 page=500 pages=12 prot=R"); // splits the PMD, erases the mirror
            s.only("ioctl fd=0 cmd=READ map=0 page=3 npages=2");
            assertThat(snap(s, 3)).as(abi.name()).isEqualTo("01"); // write-protected by fork
            s.only("write map=0 page=3 token=7");
            // the mirror kept its entry only if the page was reused
            Outcome read = s.only("ioctl fd=0 cmd=READ map=0 page=3 npages=1");
            assertThat(read.faults()).as(abi.name()).isEqualTo(abi == AbiVersion.V6_12 ? 1 : 0);
            assertThat(read.data()).containsExactly(7L);
            assertThat(s.model.worldCount()).as(abi + ": decided by the folio, not guessed").isEqualTo(1);
        }
    }
}
