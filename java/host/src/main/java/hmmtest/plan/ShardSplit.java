package hmmtest.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The deterministic split of a plan into shards of about equal expected time: longest test first,
 * each to the shard with the least time so far (the LPT rule: within 4/3 of the best split), ties
 * broken by plan position and shard number so that every machine of a CI matrix computes the
 * same split. Each shard keeps plan order.
 */
public final class ShardSplit {
    private ShardSplit() {}

    public static List<List<String>> split(List<String> plan, TestDurations durations, int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1");
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.<Integer>comparingLong(i -> -durations.expectedMillis(plan.get(i))).thenComparing(i -> i));
        long[] load = new long[shards];
        int[] shardOf = new int[plan.size()];
        for (int i : order) {
            int best = 0;
            for (int s = 1; s < shards; s++) {
                if (load[s] < load[best]) {
                    best = s;
                }
            }
            shardOf[i] = best;
            load[best] += durations.expectedMillis(plan.get(i));
        }
        List<List<String>> out = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            out.add(new ArrayList<>());
        }
        for (int i = 0; i < plan.size(); i++) {
            out.get(shardOf[i]).add(plan.get(i));
        }
        return out.stream().map(List::copyOf).toList();
    }

    /** The tests of one shard. */
    public static List<String> of(List<String> plan, TestDurations durations, Shard shard) {
        return split(plan, durations, shard.count()).get(shard.index() - 1);
    }
}
