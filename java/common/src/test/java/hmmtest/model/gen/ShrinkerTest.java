package hmmtest.model.gen;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.uapi.AbiVersion;
import hmmtest.model.Action;
import hmmtest.uapi.Command;
import hmmtest.model.Model;
import hmmtest.model.gen.ActionGenerator.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class ShrinkerTest {

    private static final Action A = Action.parse("open fd=3 dev=1");
    private static final Action B = Action.parse("close fd=3");

    /** Fails iff A occurs and B occurs somewhere after it. */
    private static boolean aThenB(List<Action> xs) {
        int ia = xs.indexOf(A);
        return ia >= 0 && xs.subList(ia + 1, xs.size()).contains(B);
    }

    private static List<Action> noise(int n, long seed) {
        return new ActionGenerator(seed, AbiVersion.V7_3, Config.defaults()).generate(n);
    }

    @Test
    void plainDdminFindsExactlyTheTwoActionsInOrder() {
        List<Action> failing = new ArrayList<>(noise(40, 1));
        failing.add(13, A);
        failing.add(31, B);
        Shrinker s = new Shrinker(xs -> xs);
        List<Action> min = s.shrink(failing, ShrinkerTest::aThenB, 500);
        assertThat(min).containsExactly(A, B);
        assertThat(s.predicateCalls()).isLessThan(120);
    }

    @Test
    void orderMatters() {
        List<Action> failing = List.of(B, A, B);
        List<Action> min = new Shrinker(xs -> xs).shrink(failing, ShrinkerTest::aThenB, 100);
        assertThat(min).containsExactly(A, B);
    }

    @Test
    void budgetIsRespectedAndTheBestSoFarStillFails() {
        List<Action> failing = new ArrayList<>(noise(60, 2));
        failing.add(5, A);
        failing.add(50, B);
        int[] calls = {0};
        Predicate<List<Action>> p = xs -> {
            calls[0]++;
            return aThenB(xs);
        };
        Shrinker s = new Shrinker(xs -> xs);
        List<Action> best = s.shrink(failing, p, 7);
        assertThat(calls[0]).isEqualTo(7).isEqualTo(s.predicateCalls());
        assertThat(aThenB(best)).isTrue();
        assertThat(best.size()).isLessThan(failing.size());
    }

    @Test
    void modelRepairNeverCallsThePredicateWithAnInvalidCandidate() {
        List<Action> failing = noise(80, 3);
        Action exclusive = failing.stream()
                .filter(a -> a instanceof Action.Ioctl io && io.cmd() == Command.EXCLUSIVE.nr())
                .findFirst().orElseThrow();
        Predicate<List<Action>> p = xs -> {
            Model m = new Model(AbiVersion.V7_3);
            for (Action a : xs) {
                assertThat(m.invalid(a)).as("candidate action " + a.toText()).isEmpty();
                m.applyNominal(a);
            }
            return xs.contains(exclusive);
        };
        List<Action> min = new Shrinker(AbiVersion.V7_3).shrink(failing, p, 300);
        // what EXCLUSIVE needs: an open fd, and nothing else once its arguments are simplified
        assertThat(min).last().isInstanceOf(Action.Ioctl.class);
        assertThat(min.size()).isLessThanOrEqualTo(3);
        assertThat(min).contains(exclusive);
    }

    @Test
    void argumentsAreSimplified() {
        List<Action> failing = List.of(
                Action.parse("mmap id=2 pages=16 prot=RW kind=ANON_PRIVATE thp=false"),
                Action.parse("open fd=1 dev=0"),
                Action.parse("write map=2 page=9 token=0x77"),
                Action.parse("ioctl fd=1 cmd=MIGRATE_TO_DEV map=2 page=3 npages=12"),
                Action.parse("read map=2 page=9"));
        // "fails" when some MIGRATE_TO_DEV moved at least one page to the device
        Predicate<List<Action>> migratesSomething = xs -> {
            Model m = new Model(AbiVersion.V6_12);
            for (Action a : xs) {
                m.applyNominal(a);
                if (m.devicePagesInUse(0) > 0) {
                    return true;
                }
            }
            return false;
        };
        List<Action> min = new Shrinker(AbiVersion.V6_12).shrink(failing, migratesSomething, 200);
        assertThat(min).extracting(Action::toText).containsExactly(
                "mmap id=2 pages=1 prot=RW kind=ANON_PRIVATE thp=false",
                "open fd=1 dev=0",
                "ioctl fd=1 cmd=MIGRATE_TO_DEV map=2 page=0 npages=1");
    }

    @Test
    void repairStopsAfterAPredictedKernelCrash() {
        List<Action> xs = List.of(
                Action.parse("mmap id=0 pages=1 prot=RW kind=ANON_PRIVATE thp=false"),
                Action.parse("open fd=0 dev=0"), Action.parse("open fd=1 dev=0"),
                Action.parse("ioctl fd=0 cmd=MIGRATE_TO_DEV map=0 page=0 npages=1"),
                Action.parse("read map=5 page=0"),
                Action.parse("ioctl fd=1 cmd=READ map=0 page=0 npages=1"),
                Action.parse("read map=0 page=0"));
        List<Action> repaired = Shrinker.repairWithModel(xs, AbiVersion.V6_12, hmmtest.model.ModelOptions.defaults());
        assertThat(repaired).hasSize(5).doesNotContain(xs.get(4), xs.get(6));
    }
}
