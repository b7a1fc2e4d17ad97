package hmmtest.engine;

import hmmtest.protocol.ResultRecord;
import hmmtest.protocol.ResultRecord.Kind;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The differential run's reports as result records ("fuzz" records, and "fuzz-" infos): the one
 * encoding the host's {@code FuzzLog} reads, whichever engine ran. The guest's engine sends them
 * on the result channel, where the action record is written (and flushed) before the action runs:
 * if the kernel dies, the host holds the sequence up to the action that killed it.
 */
public final class RecordSink implements Sink {
    private final Consumer<ResultRecord> out;

    public RecordSink(Consumer<ResultRecord> out) {
        this.out = out;
    }

    private void send(String... fields) {
        out.accept(ResultRecord.of(Kind.FUZZ, fields));
    }

    @Override
    public void sequence(long id, SequenceKind kind) {
        send("seq", Long.toString(id), kind.name());
    }

    @Override
    public void action(int index, String text) {
        send("act", Integer.toString(index), text);
    }

    @Override
    public void divergence(Divergence d) {
        send("div", d.id(), Long.toString(d.sequence()), Integer.toString(d.index()), d.action(), d.predicted(),
                d.observed(), d.diff(), d.signature(), String.join("\n", d.actions()));
    }

    @Override
    public void reproducer(String name, String content) {
        send("file", name, content);
    }

    @Override
    public void progress(Progress p) {
        send("prog", Long.toString(p.actions()), Long.toString(p.sequences()), Long.toString(p.divergences()),
                String.format(Locale.ROOT, "%.1f", p.seconds()), String.format(Locale.ROOT, "%.0f", p.actionsPerSecond()));
    }

    @Override
    public void finished(Stats s) {
        send("stat", Long.toString(s.actions()), Long.toString(s.sequences()), Long.toString(s.divergences()),
                Long.toString(s.distinct()), Long.toString(s.shrinkCandidates()),
                String.format(Locale.ROOT, "%.1f", s.seconds()), String.format(Locale.ROOT, "%.0f", s.actionsPerSecond()),
                s.stopReason());
    }

    @Override
    public void info(String key, String value) {
        out.accept(ResultRecord.of(Kind.INFO, "fuzz-" + key, value));
    }

    /** The run ended by an exception (a model bug, most likely): with the frames that say where. */
    public void error(Throwable e) {
        // a model bug in a run of hours must be findable from the log
        StringBuilder where = new StringBuilder(e.toString());
        StackTraceElement[] st = e.getStackTrace();
        for (int i = 0; i < Math.min(st.length, 12); i++) {
            where.append(i == 0 ? " at " : " < ").append(st[i]);
        }
        info("error", where.toString());
    }
}
