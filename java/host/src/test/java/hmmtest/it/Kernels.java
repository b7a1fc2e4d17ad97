package hmmtest.it;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernels the integration tests share, built or found in the cache. Host checks that read
 * what a build leaves behind (the tree's hmm-tests.c, the kernel's kunit_parser.py) run as ITs
 * after {@link #ensureBothGenerations()}, so a cold cache never turns them into a SKIP.
 */
public final class Kernels {
    /** The v1 03/12 page every developer and CI have (the product does not depend on it). */
    public static final Path SEED =
            Path.of(System.getProperty("hmmtest.home", "."), "../shared/seeds/000_1a6c719d5a68ab02.txt").normalize();

    private Kernels() {}

    /** merged (7.3) and baseline (6.12): one kernel of each driver ABI generation. */
    public static void ensureBothGenerations() {
        assertThat(Main.execute("kernel", "--variant", "merged")).as("make kernel VARIANT=merged").isZero();
        assertThat(Main.execute("kernel", "--variant", "baseline")).as("make kernel VARIANT=baseline").isZero();
    }

    /** The cache directory of a shipped variant's build (built first if missing). */
    public static Path cachedBuild(String variant) {
        return new hmmtest.kernel.KernelBuilder(hmmtest.infra.CacheDir.fromEnvironment())
                .build(hmmtest.kernel.KernelSpec.variant(variant, null)).dir();
    }

    /** The unpacked source tree of a shipped variant's base (as the cache holds it; read-only). */
    public static Path sourceTree(String variant) {
        return new hmmtest.kernel.SourceTrees(hmmtest.infra.CacheDir.fromEnvironment())
                .prepare(hmmtest.kernel.KernelSpec.variant(variant, null)).base();
    }

    public static boolean haveSeed() {
        return Files.isRegularFile(SEED);
    }
}
