package hmmtest.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigVerifierTest {
    @TempDir
    Path tree;

    private KconfigIndex index() throws IOException {
        Files.createDirectories(tree.resolve("lib"));
        Files.writeString(tree.resolve("lib/Kconfig.debug"), """
                menuconfig RUNTIME_TESTING_MENU
                	bool "Runtime Testing"
                	default y

                if RUNTIME_TESTING_MENU

                config TEST_HMM
                	tristate "Test HMM (Heterogeneous Memory Management)"
                	depends on TRANSPARENT_HUGEPAGE
                	depends on DEVICE_PRIVATE
                	select HMM_MIRROR

                endif # RUNTIME_TESTING_MENU

                config PLAIN
                	bool "no deps"
                """);
        Files.createDirectories(tree.resolve("mm"));
        Files.writeString(tree.resolve("mm/Kconfig"), """
                config DEVICE_PRIVATE
                	bool "Unaddressable device memory"
                	depends on ZONE_DEVICE && !PREEMPT_RT # comment
                """);
        return KconfigIndex.scan(tree);
    }

    @Test
    void allRequestedValuesPresentMeansNothingRejected() throws IOException {
        KconfigFragment f = KconfigFragment.parse("f", "CONFIG_TEST_HMM=m\n# CONFIG_PLAIN is not set\n");
        assertThat(ConfigVerifier.verify(f, Map.of("CONFIG_TEST_HMM", "m"), index())).isEmpty();
    }

    @Test
    void droppedSymbolIsNamedWithItsUnmetDependencies() throws IOException {
        KconfigFragment f = KconfigFragment.parse("f", "CONFIG_TEST_HMM=m\nCONFIG_DEVICE_PRIVATE=y\n");
        Map<String, String> dot = Map.of("CONFIG_TRANSPARENT_HUGEPAGE", "y", "CONFIG_RUNTIME_TESTING_MENU", "y");
        List<ConfigVerifier.Rejected> r = ConfigVerifier.verify(f, dot, index());
        assertThat(r).hasSize(2);
        assertThat(r.get(0).toString())
                .startsWith("CONFIG_TEST_HMM=m requested, got not set")
                .contains("depends on DEVICE_PRIVATE (=n)")
                .doesNotContain("TRANSPARENT_HUGEPAGE (=y)"); // met dependencies are not blamed
        assertThat(r.get(1).toString()).contains("depends on ZONE_DEVICE (=n) && !PREEMPT_RT (=n)");
    }

    @Test
    void continuationLinesAndNegationsAreEvaluatedNotGuessed() throws IOException {
        Files.createDirectories(tree.resolve("lib"));
        Files.writeString(tree.resolve("lib/Kconfig.kasan"), """
                menuconfig KASAN
                	bool "KASAN"
                	depends on (((HAVE_ARCH_KASAN && CC_HAS_KASAN_GENERIC) || \\
                		     (HAVE_ARCH_KASAN_SW_TAGS && CC_HAS_KASAN_SW_TAGS)) && \\
                		    CC_HAS_WORKING_NOSANITIZE_ADDRESS) || \\
                		   HAVE_ARCH_KASAN_HW_TAGS
                	depends on SYSFS && !SLUB_TINY
                """);
        Map<String, String> dot = Map.of("CONFIG_HAVE_ARCH_KASAN", "y", "CONFIG_CC_HAS_KASAN_GENERIC", "y",
                "CONFIG_CC_HAS_WORKING_NOSANITIZE_ADDRESS", "y", "CONFIG_SYSFS", "y", "CONFIG_SLUB_TINY", "y");
        String why = ConfigVerifier.verify(KconfigFragment.parse("f", "CONFIG_KASAN=y\n"), dot, index()).get(0).why();
        assertThat(why).isEqualTo("unmet dependency: depends on SYSFS (=y) && !SLUB_TINY (=y)");
    }

    @Test
    void enclosingIfBlockCountsAsADependency() throws IOException {
        KconfigFragment f = KconfigFragment.parse("f", "CONFIG_TEST_HMM=m\n");
        Map<String, String> dot = Map.of("CONFIG_TRANSPARENT_HUGEPAGE", "y", "CONFIG_DEVICE_PRIVATE", "y");
        assertThat(ConfigVerifier.verify(f, dot, index()).get(0).why())
                .contains("RUNTIME_TESTING_MENU (=n)");
    }

    @Test
    void wrongValueAndUnknownSymbolAreReported() throws IOException {
        KconfigFragment f = KconfigFragment.parse("f", "CONFIG_TEST_HMM=y\nCONFIG_NOPE=y\n");
        List<ConfigVerifier.Rejected> r = ConfigVerifier.verify(f, Map.of("CONFIG_TEST_HMM", "m"), index());
        assertThat(r.get(0).toString()).startsWith("CONFIG_TEST_HMM=y requested, got m");
        assertThat(r.get(1).why()).isEqualTo("unknown symbol: CONFIG_NOPE does not exist in this kernel's Kconfig");
    }

    /** Kconfig's own test cases (scripts/kconfig/tests) define FOO, A, B: a kernel symbol they are not. */
    @Test
    void kconfigsOwnTestCasesDoNotMakeASymbolKnown() throws IOException {
        Files.createDirectories(tree.resolve("scripts/kconfig/tests/conditional_dep"));
        Files.writeString(tree.resolve("scripts/kconfig/tests/conditional_dep/Kconfig"), """
                config FOO
                	bool "FOO"
                	depends on A
                """);
        KconfigFragment f = KconfigFragment.parse("command line", "CONFIG_FOO=y\n");
        assertThat(ConfigVerifier.verify(f, Map.of(), index()).get(0).why())
                .isEqualTo("unknown symbol: CONFIG_FOO does not exist in this kernel's Kconfig");
    }
}
