package hmmtest.model;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.uapi.AbiVersion;
import org.junit.jupiter.api.Test;

/** Rules.MIGRATION_MAPS_AFTER_COLLECTING: the fuzzer's minimal list of 2026-12-04 (seed 1, merged 7.3.4). */
class MigrationOrderTest {

    @Test
    void aSplitLaterInTheChunkKeepsTheEntriesOfPagesMigratedBeforeIt() {
        Scenario s = new Scenario(AbiVersion.V7_3);
        s.run("mmap id=1 pages=512 prot=RW kind=ANON_PRIVATE thp=true", "open fd=3 dev=0",
                "ioctl fd=3 cmd=WRITE map=1 page=0 npages=1 token=0xf445a0e4c99148be",
                "madvise map=1 page=480 pages=13 advice=DONTNEED");
        // 487-492 are holes (zapped), 493-497 belong to the PTE-mapped THP, which is split
        Outcome o = s.only("ioctl fd=3 cmd=MIGRATE_TO_DEV map=1 page=487 npages=11");
        assertThat(o.errno()).isZero();
        assertThat(o.cpages()).isEqualTo(11);
        assertThat(o.data()).containsOnly(0L);
    }
}
