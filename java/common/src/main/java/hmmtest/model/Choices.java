package hmmtest.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the kernel may legitimately do one of several things (THP allocation succeeding or not, a
 * COW fault reusing or copying the page), the simulation asks {@link #choose}. The model replays an
 * action once per combination of answers, so every alternative gets its own outcome and world.
 */
final class Choices {
    record Point(String label, int arity, int taken) {}

    private final List<Integer> script;
    private final List<Point> points = new ArrayList<>();

    Choices(List<Integer> script) {
        this.script = script;
    }

    /** Returns 0 (the nominal behaviour) unless the script says otherwise. */
    int choose(String label, int arity) {
        int i = points.size();
        int taken = i < script.size() ? script.get(i) : 0;
        points.add(new Point(label, arity, taken));
        return taken;
    }

    List<Point> points() {
        return points;
    }

    int scriptLength() {
        return script.size();
    }
}
