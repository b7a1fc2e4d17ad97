package hmmtest.model;

import hmmtest.uapi.AbiVersion;

import hmmtest.uapi.Errno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The model's contract: alternatives, pruning by observation, mismatch reports, preconditions. */
class ModelTest {

    @Test
    void thpAvailabilityIsTwoAlternativesUntilObserved() {
        Model m = new Model(AbiVersion.V6_12);
        m.applyNominal(Action.parse("mmap id=0 pages=512 prot=RW kind=ANON_PRIVATE thp=true"));
        m.applyNominal(Action.parse("open fd=0 dev=0"));
        m.applyNominal(Action.parse("write map=0 page=0 token=1"));
        assertThat(m.worldCount()).isEqualTo(2);
        Prediction p = m.predict(Action.parse("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=1"));
        assertThat(p.alternatives()).hasSize(2);
        assertThat(p.alternatives()).filteredOn(a -> a.outcome().snapshot().equals("02"))
                .singleElement().satisfies(a -> assertThat(a.because()).isNotEmpty());
        m.apply(Action.parse("ioctl fd=0 cmd=SNAPSHOT map=0 page=0 npages=1"), new Outcome(0, 1, 0, List.of(), "02"));
        assertThat(m.worldCount()).isEqualTo(1);
        // the 4 KiB world: EXCLUSIVE works on 6.12
        assertThat(m.applyNominal(Action.parse("ioctl fd=0 cmd=EXCLUSIVE map=0 page=0 npages=2")).errno()).isZero();
    }

    @Test
    void cowAfterForkMayReuseOrCopyAndTheDifferenceShowsInFaults() {
        Model m = new Model(AbiVersion.V7_3);
        for (String l : List.of("mmap id=0 pages=2 prot=RW kind=ANON_PRIVATE thp=false", "open fd=0 dev=0",
                "write map=0 page=0 token=1", "write map=0 page=1 token=2", "fork map=0 page=0 token=3",
                "ioctl fd=0 cmd=READ map=0 page=0 npages=2", "write map=0 page=0 token=4")) {
            m.applyNominal(Action.parse(l));
        }
        assertThat(m.worldCount()).isEqualTo(2);
        // reuse: nothing erased; copy: CLEAR over page 0 erases page 1's entry too
        Prediction p = m.predict(Action.parse("ioctl fd=0 cmd=READ map=0 page=1 npages=1"));
        assertThat(p.outcomes()).extracting(Outcome::faults).containsExactlyInAnyOrder(0L, 1L);
    }

    @Test
    void hugetlbReservationMayFail() {
        Model m = new Model(AbiVersion.V7_3);
        Action mmap = Action.parse("mmap id=0 pages=512 prot=RW kind=HUGETLB thp=false");
        assertThat(m.predict(mmap).outcomes()).extracting(Outcome::errno).containsExactly(0, Errno.ENOMEM);
        m.apply(mmap, Outcome.error(Errno.ENOMEM));
        assertThat(m.mappingIds()).isEmpty();
        assertThat(m.invalid(Action.parse("read map=0 page=0"))).isPresent();
    }

    @Test
    void mismatchIsReportedWithAReadableDiff() {
        Model m = new Model(AbiVersion.V7_3);
        m.applyNominal(Action.parse("mmap id=0 pages=2 prot=RW kind=ANON_PRIVATE thp=false"));
        m.applyNominal(Action.parse("open fd=0 dev=0"));
        Action read = Action.parse("ioctl fd=0 cmd=READ map=0 page=0 npages=2");
        Outcome observed = new Outcome(0, 2, 2, List.of(0L, PageContent.GARBLED), "");
        assertThat(m.predict(read).allows(observed)).isFalse();
        assertThatThrownBy(() -> m.apply(read, observed))
                .isInstanceOf(ModelMismatchException.class)
                .hasMessageContaining("faults: expected 1, observed 2")
                .hasMessageContaining("data page 1: expected [0x0], observed [GARBLED]");
        // the model did not move: the right outcome is still accepted
        m.apply(read, new Outcome(0, 2, 1, List.of(0L, 0L), ""));
    }

    @Test
    void toleranceForBackgroundInvalidationAllowsOneMoreFaultRound() {
        Model strict = new Model(AbiVersion.V7_3);
        Model tolerant = new Model(AbiVersion.V7_3, ModelOptions.defaults().withTolerateBackgroundInvalidation(true));
        for (Model m : List.of(strict, tolerant)) {
            m.applyNominal(Action.parse("mmap id=0 pages=2 prot=RW kind=ANON_PRIVATE thp=false"));
            m.applyNominal(Action.parse("open fd=0 dev=0"));
        }
        Action read = Action.parse("ioctl fd=0 cmd=READ map=0 page=0 npages=2");
        Outcome two = new Outcome(0, 2, 2, List.of(0L, 0L), "");
        assertThat(strict.predict(read).allows(two)).isFalse();
        assertThat(tolerant.predict(read).allows(two)).isTrue();
        tolerant.apply(read, two);
        // no fault round, nothing to tolerate
        assertThat(tolerant.predict(read).outcomes()).extracting(Outcome::faults).containsExactly(0L);
    }

    @Test
    void preconditionsRejectImpossibleActions() {
        Model m = new Model(AbiVersion.V7_3);
        assertThat(m.invalid(Action.parse("read map=0 page=0"))).isPresent();
        assertThat(m.invalid(Action.parse("ioctl fd=0 cmd=READ map=0 page=0 npages=1"))).isPresent();
        assertThat(m.invalid(Action.parse("open fd=0 dev=2"))).isPresent(); // no coherent devices
        m.applyNominal(Action.parse("mmap id=0 pages=2 prot=R kind=ANON_PRIVATE thp=false"));
        assertThat(m.invalid(Action.parse("write map=0 page=0 token=1"))).hasValueSatisfying(
                r -> assertThat(r).contains("SIGSEGV"));
        assertThat(m.invalid(Action.parse("mmap id=0 pages=2 prot=R kind=ANON_PRIVATE thp=false"))).isPresent();
        assertThatThrownBy(() -> m.predict(Action.parse("write map=0 page=0 token=1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void copiesAreIndependent() {
        Model m = new Model(AbiVersion.V6_12);
        m.applyNominal(Action.parse("mmap id=0 pages=1 prot=RW kind=ANON_PRIVATE thp=false"));
        Model c = m.copy();
        c.applyNominal(Action.parse("write map=0 page=0 token=5"));
        assertThat(m.contents(0, 0)).isEmpty();
        assertThat(c.contents(0, 0)).contains(5L);
    }

    @Test
    void pageContentRoundTrips() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(PageContent.PAGE_SIZE);
        PageContent.fill(b, 0x1234_5678_9abcL);
        assertThat(PageContent.decode(b)).isEqualTo(0x1234_5678_9abcL);
        PageContent.fill(b, 0);
        assertThat(PageContent.decode(b)).isZero();
        for (int i = 0; i < PageContent.PAGE_SIZE; i++) {
            assertThat(b.get(i)).isZero();
        }
        PageContent.fill(b, 7);
        b.put(100, (byte) 1);
        assertThat(PageContent.decode(b)).isEqualTo(PageContent.GARBLED);
        // a page shifted by one word is not another token's pattern
        long[] w = PageContent.words(9);
        long[] shifted = new long[w.length];
        System.arraycopy(w, 1, shifted, 0, w.length - 1);
        assertThat(PageContent.decode(shifted)).isEqualTo(PageContent.GARBLED);
    }
}
