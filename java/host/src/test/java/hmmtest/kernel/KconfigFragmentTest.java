package hmmtest.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmmtest.infra.Project;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KconfigFragmentTest {

    @Test
    void parsesValuesReasonsUnsetLinesAndHeaders() {
        KconfigFragment f = KconfigFragment.parse("t", """
                ##: header
                CONFIG_A=y
                CONFIG_B=m   # a reason
                CONFIG_C="some string # not a comment"
                CONFIG_D=0x10
                # CONFIG_E is not set
                # CONFIG_F is not set   # a reason
                # a plain comment
                """);
        assertThat(f.values()).containsExactly(
                java.util.Map.entry("CONFIG_A", "y"), java.util.Map.entry("CONFIG_B", "m"),
                java.util.Map.entry("CONFIG_C", "\"some string # not a comment\""),
                java.util.Map.entry("CONFIG_D", "0x10"), java.util.Map.entry("CONFIG_E", "n"),
                java.util.Map.entry("CONFIG_F", "n"));
        assertThat(f.render()).contains("# CONFIG_E is not set\n").contains("CONFIG_B=m\n");
    }

    @Test
    void rejectsGarbageWithFileAndLine() {
        assertThatThrownBy(() -> KconfigFragment.parse("frag", "CONFIG_A=y\nTEST_HMM=m\n"))
                .hasMessageContaining("frag:2").hasMessageContaining("TEST_HMM=m");
    }

    @Test
    void laterFragmentsOverrideEarlierOnes() {
        KconfigFragment a = KconfigFragment.parse("a", "CONFIG_A=y\nCONFIG_B=y\n");
        KconfigFragment b = KconfigFragment.parse("b", "# CONFIG_B is not set\nCONFIG_C=y\n");
        assertThat(a.merge(b).values()).containsEntry("CONFIG_B", "n").containsEntry("CONFIG_C", "y").hasSize(3);
    }

    @Test
    void theShippedHmmProfileParsesAndRequestsTestHmmAsModule() {
        System.setProperty("hmmtest.home", Path.of("../..").toAbsolutePath().normalize().toString());
        KconfigFragment hmm = KconfigFragment.read(Project.kernelConfig("hmm"));
        assertThat(hmm.values()).containsEntry("CONFIG_TEST_HMM", "m")
                .containsEntry("CONFIG_DEVICE_PRIVATE", "y")
                .containsEntry("CONFIG_VIRTIO_CONSOLE", "y");
    }

    /** A value Kconfig never writes (CONFIG_FOO=q) is a usage error at parse time, before any configuring. */
    @Test
    void aValueKconfigNeverWritesIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KconfigFragment.parse("command line", "CONFIG_FOO=q"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CONFIG_FOO=q")
                .hasMessageContaining("a Kconfig value is y, m, n");
        assertThat(KconfigFragment.parse("f", "CONFIG_A=-1\nCONFIG_B=0x1000\nCONFIG_C=\"x y\"\nCONFIG_D=m").values())
                .hasSize(4);
    }

    /** A --config symbol no Kconfig file of the tree defines is named unknown, exit 2, before configuring. */
    @Test
    void anUnknownCommandLineSymbolIsAUsageError(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tree)
            throws Exception {
        java.nio.file.Files.createDirectories(tree.resolve("lib"));
        java.nio.file.Files.writeString(tree.resolve("lib/Kconfig.debug"), "config TEST_HMM\n\ttristate \"HMM\"\n");
        KernelSpec spec = new KernelSpec("x", new KernelBase.LocalTree(tree), null, java.util.List.of(),
                java.util.List.of(), java.util.List.of("CONFIG_TEST_HMM=m", "CONFIG_FOO=y"), "");
        hmmtest.infra.HarnessException e = org.junit.jupiter.api.Assertions.assertThrows(
                hmmtest.infra.HarnessException.class, () -> KernelBuilder.checkKnown(spec, tree));
        assertThat(e.exitCode()).isEqualTo(hmmtest.infra.ExitCode.USAGE);
        assertThat(e.getMessage()).contains("unknown Kconfig symbol(s) in --config: CONFIG_FOO");
    }
}
