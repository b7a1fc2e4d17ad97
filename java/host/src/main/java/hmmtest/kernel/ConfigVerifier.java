package hmmtest.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks that every symbol requested by the fragment has the requested value in the final
 * .config. Kconfig silently drops symbols whose dependencies are unmet; we do not.
 */
public final class ConfigVerifier {
    private ConfigVerifier() {}

    /** A requested symbol that did not survive olddefconfig. */
    public record Rejected(String symbol, String requested, String actual, String why) {
        @Override
        public String toString() {
            return symbol + "=" + requested + " requested, got " + (actual.equals("n") ? "not set" : actual)
                    + ": " + why;
        }
    }

    public static List<Rejected> verify(KconfigFragment requested, Map<String, String> dotConfig, KconfigIndex index) {
        List<Rejected> rejected = new ArrayList<>();
        requested.values().forEach((symbol, want) -> {
            String got = dotConfig.getOrDefault(symbol, "n");
            if (!got.equals(want)) {
                String why = index == null ? "" : index.explain(symbol, dotConfig);
                rejected.add(new Rejected(symbol, want, got, why));
            }
        });
        return rejected;
    }
}
