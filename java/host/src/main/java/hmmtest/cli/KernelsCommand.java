package hmmtest.cli;

import hmmtest.infra.CacheDir;
import hmmtest.kernel.KernelBuild;
import hmmtest.kernel.KernelBuilder;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "kernels", mixinStandardHelpOptions = true, description = "List cached kernel builds.")
final class KernelsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        var builds = new KernelBuilder(CacheDir.fromEnvironment()).list();
        if (builds.isEmpty()) {
            System.out.println("no cached kernel builds");
        }
        for (KernelBuild b : builds) {
            var m = b.manifest();
            String kind = m.path("buildKind").asText("cold");
            String how = kind.equals("prebuilt") ? "imported " + m.path("builtAt").asText()
                    : String.format("built %s in %.0fs (%s%s)", m.path("builtAt").asText(), m.path("buildSeconds").asDouble(),
                            kind, m.has("objectsCompiled") ? ", " + m.path("objectsCompiled").asLong() + " objects" : "");
            System.out.printf("%-14s %-28s %-10s %s%n  %s%n", m.path("variant").asText(),
                    source(m.path("source")),
                    m.path("kernelRelease").asText(), how, b.dir());
        }
        return 0;
    }

    /** A Debian package and version, a local tree's path, or a prebuilt bzImage. */
    private static String source(com.fasterxml.jackson.databind.JsonNode s) {
        if (s.has("package")) {
            return s.path("package").asText() + " " + s.path("version").asText();
        }
        return s.has("path") ? s.path("path").asText() : s.path("prebuilt").asText();
    }
}
