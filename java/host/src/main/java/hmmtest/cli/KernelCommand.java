package hmmtest.cli;

import hmmtest.infra.CacheDir;
import hmmtest.kernel.KernelBuild;
import hmmtest.kernel.KernelBuilder;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "kernel", mixinStandardHelpOptions = true,
        description = "Build (or find in the cache) the kernel and test_hmm.ko of a variant.")
final class KernelCommand implements Callable<Integer> {
    @Mixin
    KernelOptions kernel;

    @picocli.CommandLine.Option(names = "--config-only",
            description = "Only configure and verify the requested symbols (seconds; nothing is built or cached).")
    boolean configOnly;

    @Override
    public Integer call() throws java.io.IOException {
        if (configOnly) {
            int n = new KernelBuilder(CacheDir.fromEnvironment()).configureOnly(kernel.resolve());
            System.out.println("configuration verified: " + n + " requested symbols present");
            return 0;
        }
        KernelBuild build = new KernelBuilder(CacheDir.fromEnvironment(), kernel.cleanBuild()).build(kernel.resolve());
        System.out.println("kernel " + build.kernelRelease() + ": " + build.dir());
        return 0;
    }
}
