package hmmtest.model;

import hmmtest.uapi.AbiVersion;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.model.gen.ActionGenerator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Model reuses the last enumeration between hazard/predict/apply of one action: no visible effect. */
class EnumerationCacheTest {

    @Test
    void predictingBeforeApplyingChangesNothing() {
        for (AbiVersion abi : AbiVersion.values()) {
            List<Action> seq = new ActionGenerator(5, abi, ActionGenerator.Config.defaults()).generate(300);
            Model cached = new Model(abi);
            Model plain = new Model(abi);
            List<String> a = new ArrayList<>();
            List<String> b = new ArrayList<>();
            for (Action act : seq) {
                cached.hazard(act);
                Prediction p = cached.predict(act);
                a.add(p.toString());
                Outcome o = p.outcomes().get(0);
                cached.apply(act, o);
                // a copy taken now must not see a stale enumeration of the original
                Model copy = cached.copy();
                assertThat(copy.worldCount()).isEqualTo(cached.worldCount());
                b.add(plain.applyNominal(act).toString());
            }
            for (int i = 0; i < seq.size(); i++) {
                assertThat(a.get(i)).as(seq.get(i).toText()).contains(b.get(i));
            }
            assertThat(cached.mappingIds()).isEqualTo(plain.mappingIds());
            assertThat(cached.openFds()).isEqualTo(plain.openFds());
        }
    }
}
