package hmmtest.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardSplitTest {
    private static final List<String> PLAN = List.of("a.1", "a.2", "a.3", "b.1", "b.2", "c.long", "d.1", "d.2");
    private static final TestDurations DURATIONS = new TestDurations(Map.of("a.1", 100L, "a.2", 200L, "a.3", 300L,
            "b.1", 100L, "b.2", 400L, "c.long", 5000L, "d.1", 100L));

    @Test
    void everyTestIsInExactlyOneShardAndEachShardKeepsPlanOrder() {
        for (int n = 1; n <= 9; n++) {
            List<List<String>> shards = ShardSplit.split(PLAN, DURATIONS, n);
            assertThat(shards).hasSize(n);
            List<String> all = new ArrayList<>();
            shards.forEach(all::addAll);
            assertThat(all).containsExactlyInAnyOrderElementsOf(PLAN);
            for (List<String> s : shards) {
                assertThat(s).isSortedAccordingTo((x, y) -> PLAN.indexOf(x) - PLAN.indexOf(y));
            }
        }
    }

    @Test
    void theSplitIsBalancedByRecordedTimeNotByCount() {
        List<List<String>> two = ShardSplit.split(PLAN, DURATIONS, 2);
        // the 5 s test alone outweighs everything else: it gets a shard of its own
        assertThat(two.get(0)).containsExactly("c.long");
        assertThat(two.get(1)).hasSize(PLAN.size() - 1);
    }

    @Test
    void theSameInputsGiveTheSameSplitEveryTime() {
        Set<List<List<String>>> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            Map<String, Long> shuffled = new LinkedHashMap<>();
            List<String> keys = new ArrayList<>(List.of("a.1", "a.2", "a.3", "b.1", "b.2", "c.long", "d.1"));
            java.util.Collections.shuffle(keys, new java.util.Random(i));
            keys.forEach(k -> shuffled.put(k, DURATIONS.expectedMillis(k)));
            seen.add(ShardSplit.split(PLAN, new TestDurations(shuffled), 3));
        }
        assertThat(seen).hasSize(1);
    }

    @Test
    void withoutRecordedDurationsTheSplitIsByCount() {
        List<List<String>> three = ShardSplit.split(PLAN, TestDurations.none(), 3);
        assertThat(three).extracting(List::size).containsExactly(3, 3, 2);
    }

    @Test
    void aShardIsParsedAndCheckedLikeACiMatrixWritesIt() {
        assertThat(Shard.parse("2/3")).isEqualTo(new Shard(2, 3));
        assertThat(Shard.parse(" 1 / 1 ").toString()).isEqualTo("1/1");
        for (String bad : List.of("0/2", "3/2", "1/0", "1-2", "a/b", "", "1/2/3")) {
            assertThatThrownBy(() -> Shard.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--shard");
        }
    }
}
