package hmmtest.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Records every sink call; {@link #log} leaves out timings so that two runs can be compared. */
final class RecordingSink implements Sink {
    final List<String> log = new ArrayList<>();
    final List<Divergence> divergences = new ArrayList<>();
    final Map<String, String> files = new LinkedHashMap<>();
    final List<String> infos = new ArrayList<>();
    final List<Progress> progress = new ArrayList<>();
    Stats stats;
    SequenceKind lastKind;
    int expectedIndex;
    String lastAction;

    String lastActionText() {
        return lastAction;
    }

    @Override
    public void sequence(long id, SequenceKind kind) {
        log.add("sequence " + id + " " + kind);
        lastKind = kind;
        expectedIndex = 0;
    }

    @Override
    public void action(int index, String text) {
        if (index != expectedIndex) {
            throw new AssertionError("action index " + index + ", expected " + expectedIndex);
        }
        expectedIndex++;
        lastAction = text;
        log.add(index + " " + text);
    }

    @Override
    public void divergence(Divergence d) {
        divergences.add(d);
        log.add("divergence " + d.id() + " " + d.signature() + " observed " + d.observed());
    }

    @Override
    public void reproducer(String name, String content) {
        files.put(name, content);
        log.add("reproducer " + name + " " + content.hashCode());
    }

    @Override
    public void progress(Progress p) {
        progress.add(p);
    }

    @Override
    public void finished(Stats s) {
        stats = s;
        log.add("finished " + s.actions() + " " + s.divergences() + " " + s.distinct() + " " + s.stopReason());
    }

    @Override
    public void info(String key, String value) {
        infos.add(key + ": " + value);
        if (!value.matches("(?s).*\\d+\\.\\d s.*")) {
            log.add("info " + key + ": " + value);
        }
    }

    long mainActions() {
        return stats.actions();
    }
}
