package hmmtest.model.gen;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.model.gen.ActionGenerator.Kind;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SteeringTest {

    private static final Map<Kind, Integer> BASE = Map.of(Kind.READ, 6, Kind.OPEN_ORPHAN, 1, Kind.RELEASE, 1);

    @Test
    void startsAtTheConfiguredProportions() {
        Steering s = new Steering(BASE);
        Map<Kind, Integer> w = s.weights();
        assertThat(w.get(Kind.READ)).isEqualTo(6 * w.get(Kind.OPEN_ORPHAN));
        assertThat(w.get(Kind.RELEASE)).isEqualTo(w.get(Kind.OPEN_ORPHAN));
    }

    @Test
    void aKindThatFindsNewEdgesGainsWeightUpToTheCap() {
        Steering s = new Steering(BASE);
        assertThat(s.report(Kind.READ, 0)).isFalse();
        assertThat(s.report(Kind.OPEN_ORPHAN, 6)).isTrue();
        assertThat(s.factor(Kind.OPEN_ORPHAN)).isEqualTo(1 + 6 / Steering.CREDIT_PER_STEP);
        assertThat(s.weights().get(Kind.OPEN_ORPHAN)).isEqualTo(4 * s.weights().get(Kind.RELEASE));
        s.report(Kind.OPEN_ORPHAN, 1000);
        assertThat(s.factor(Kind.OPEN_ORPHAN)).isEqualTo(1 + Steering.MAX_BOOST);
        assertThat(s.factor(Kind.READ)).isEqualTo(1.0); // never below the configured weight
        assertThat(s.totalEdges()).isEqualTo(1006.0);
        assertThat(s.edges(Kind.OPEN_ORPHAN)).isEqualTo(1006.0);
    }

    @Test
    void creditHalvesEveryHalfLife() {
        Steering s = new Steering(BASE);
        s.report(Kind.RELEASE, 8); // factor 1 + 4
        for (int i = 1; i < Steering.HALF_LIFE - 1; i++) {
            assertThat(s.report(Kind.READ, 0)).isFalse();
        }
        assertThat(s.factor(Kind.RELEASE)).isEqualTo(5.0);
        assertThat(s.report(Kind.READ, 0)).isTrue(); // the half-life's last action
        assertThat(s.factor(Kind.RELEASE)).isEqualTo(3.0);
        assertThat(s.describe()).startsWith("new edges 8;").contains("RELEASE 8/1 x3.0");
    }

    @Test
    void everyGeneratedActionMapsBackToAnEnabledKind() {
        ActionGenerator gen = new ActionGenerator(7, hmmtest.uapi.AbiVersion.V7_3, ActionGenerator.Config.defaults());
        java.util.Set<Kind> seen = java.util.EnumSet.noneOf(Kind.class);
        for (var a : gen.generate(3000)) {
            seen.add(Kind.of(a));
        }
        assertThat(seen).contains(Kind.OPEN_ORPHAN, Kind.BAD_IOCTL, Kind.READ, Kind.MMAP);
        assertThat(ActionGenerator.Config.defaults().weights().keySet()).containsAll(seen);
    }

    @Test
    void theGeneratorFollowsNewWeights() {
        ActionGenerator gen = new ActionGenerator(3, hmmtest.uapi.AbiVersion.V7_3, ActionGenerator.Config.defaults());
        gen.generate(20); // some mappings and fds to act on
        gen.setWeights(Map.of(Kind.SNAPSHOT, 1));
        long snapshots = gen.generate(200).stream().filter(a -> Kind.of(a) == Kind.SNAPSHOT).count();
        assertThat(snapshots).isGreaterThan(190); // the fallback may step in when nothing is open
    }
}
