package hmmtest.model;

import hmmtest.uapi.AbiVersion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/** A model plus helpers to write test scenarios as action lines. */
final class Scenario {
    final Model model;

    Scenario(AbiVersion abi) {
        this(new Model(abi));
    }

    Scenario(AbiVersion abi, ModelOptions opts) {
        this(new Model(abi, opts));
    }

    Scenario(Model model) {
        this.model = model;
    }

    /** Applies each line nominally and returns the last outcome. */
    Outcome run(String... lines) {
        Outcome o = null;
        for (String l : lines) {
            o = model.applyNominal(Action.parse(l));
        }
        return o;
    }

    Prediction predict(String line) {
        return model.predict(Action.parse(line));
    }

    /** Asserts the action has exactly one allowed outcome and applies it. */
    Outcome only(String line) {
        Prediction p = predict(line);
        assertThat(p.outcomes()).as(line + " -> " + p).hasSize(1);
        assertThat(p.hazards()).as(line).isEmpty();
        return run(line);
    }

    /** errno of an ioctl's outcome after applying it. */
    int errno(String line) {
        return only(line).errno();
    }

    static List<Long> tokens(long... t) {
        List<Long> out = new ArrayList<>();
        for (long x : t) {
            out.add(x);
        }
        return out;
    }

    static List<Long> seq(long first, int n) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(first + i);
        }
        return out;
    }

    static List<Long> repeat(long t, int n) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(t);
        }
        return out;
    }
}
