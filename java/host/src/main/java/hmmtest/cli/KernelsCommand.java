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
            System.out.printf("%-10s %-28s %-22s built %s in %.0fs%n  %s%n", m.path("variant").asText(),
                    m.path("source").path("package").asText() + " " + m.path("source").path("version").asText(),
                    m.path("kernelRelease").asText(), m.path("builtAt").asText(), m.path("buildSeconds").asDouble(),
                    b.dir());
        }
        return 0;
    }
}
