package hmmtest.engine;

import hmmtest.uapi.AbiVersion;
import hmmtest.model.Action;
import hmmtest.model.Layout;
import hmmtest.model.Model;
import hmmtest.model.ModelOptions;
import hmmtest.model.Outcome;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic stand-in for the kernel in host tests: it answers with the model's nominal
 * outcome, then lets an injected "bug" change it. The bug sees the actions performed since the
 * last reset, so it can depend on history (as kernel bugs do).
 */
final class FakeExecutor implements Executor {
    interface Bug {
        Outcome apply(List<Action> history, Action a, Outcome nominal);
    }

    static final Bug NONE = (h, a, o) -> o;

    private final AbiVersion abi;
    private final ModelOptions opts;
    private final Layout layout;
    private final Bug bug;
    private Model model;
    final List<Action> history = new ArrayList<>();
    final List<String> performed = new ArrayList<>();
    int resets;
    Sink watch;
    RecordingSink recording;

    FakeExecutor(AbiVersion abi, Bug bug) {
        this(abi, ModelOptions.defaults(), Layout.defaultLayout(), bug);
    }

    FakeExecutor(AbiVersion abi, ModelOptions opts, Layout layout, Bug bug) {
        this.abi = abi;
        this.opts = opts;
        this.layout = layout;
        this.bug = bug;
        reset();
        resets = 0;
    }

    @Override
    public Outcome perform(Action a) {
        if (recording != null) {
            String ahead = recording.lastActionText();
            if (!a.toText().equals(ahead)) {
                throw new AssertionError("performed " + a.toText() + " without write-ahead (last: " + ahead + ")");
            }
        }
        performed.add(a.toText());
        Outcome nominal = model.applyNominal(a);
        Outcome o = bug.apply(history, a, nominal);
        history.add(a);
        return o;
    }

    @Override
    public void reset() {
        model = new Model(abi, opts, layout);
        history.clear();
        resets++;
    }

    @Override
    public void close() {
        // nothing to release
    }
}
