package hmmtest.plan;

import java.util.List;

/** Shard {@code index} of {@code count} (1-based, as CI matrices count): "2/3". */
public record Shard(int index, int count) {
    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("--shard must be i/n with 1 <= i <= n (got " + index + "/" + count + ")");
        }
    }

    public static Shard parse(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*(\\d{1,6})\\s*/\\s*(\\d{1,6})\\s*").matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("--shard must be i/n, e.g. 1/2 (got '" + text + "')");
        }
        return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }

    /**
     * What a shard's results directory records so that merge can check the shards against each
     * other: the selection, its whole plan, and this shard's tests.
     */
    public record Assignment(int index, int count, String selection, List<String> selectionPlan, List<String> tests) {
        public Assignment {
            selectionPlan = List.copyOf(selectionPlan);
            tests = List.copyOf(tests);
        }

        public Shard shard() {
            return new Shard(index, count);
        }
    }
}
