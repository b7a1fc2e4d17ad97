package hmmtest.cli;

import hmmtest.infra.CacheDir;
import hmmtest.kernel.KernelBuild;
import hmmtest.kernel.KernelBuilder;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "clean-kernels", mixinStandardHelpOptions = true,
        description = "Remove cached kernel builds, working copies and kept build directories "
                + "(downloaded packages and unpacked sources are kept).")
final class CleanKernelsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        CacheDir cache = CacheDir.fromEnvironment();
        var builds = new KernelBuilder(cache).list();
        for (KernelBuild b : builds) {
            CacheDir.deleteQuietly(b.dir());
            System.out.println("removed " + b.dir());
        }
        CacheDir.sweepTemporaries(cache.dir("kernels"));
        System.out.println(builds.size() + " cached build(s) removed");
        // Working copies and kept O= directories only make builds faster: the next build is cold.
        try (var work = java.nio.file.Files.list(cache.dir("work"))) {
            work.forEach(w -> {
                CacheDir.deleteQuietly(w);
                System.out.println("removed " + w);
            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return 0;
    }
}
