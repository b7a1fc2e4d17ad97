package hmmtest.cli;

import hmmtest.infra.CacheDir;
import hmmtest.kernel.KernelBuild;
import hmmtest.kernel.KernelBuilder;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "clean-kernels", mixinStandardHelpOptions = true,
        description = "Remove cached kernel builds, their warm VM snapshots, working copies and kept build "
                + "directories (downloaded packages and unpacked sources are kept).")
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
        // Warm snapshots restore a kernel that is gone now.
        try (var snaps = java.nio.file.Files.list(cache.dir("snapshots"))) {
            List<java.nio.file.Path> entries = snaps.toList();
            entries.forEach(CacheDir::deleteQuietly);
            long n = entries.stream().filter(p -> !p.getFileName().toString().endsWith(".lock")).count();
            System.out.println(n + " warm snapshot entr" + (n == 1 ? "y" : "ies") + " removed");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
