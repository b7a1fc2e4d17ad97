package hmmtest.container;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.kernel.KernelBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InvocationTest {

    @Test
    void variantGivesTheDebianPackageToFetchOnTheHost(@TempDir Path checkout) {
        Invocation inv = Invocation.parse(List.of("run", "--variant", "merged", "--select", "hmm.*"), checkout, new picocli.CommandLine(new hmmtest.cli.Main()));
        assertThat(inv.subcommand()).isEqualTo("run");
        assertThat(inv.debianBase()).contains(new KernelBase.Debian("linux-source-7.", ""));
        Invocation pinned = Invocation.parse(List.of("kernel", "--variant", "baseline", "--debian-version", "6.12.1-1"),
                checkout, new picocli.CommandLine(new hmmtest.cli.Main()));
        assertThat(pinned.debianBase()).contains(new KernelBase.Debian("linux-source-6.12", "6.12.1-1"));
        assertThat(Invocation.parse(List.of("smoke"), checkout, new picocli.CommandLine(new hmmtest.cli.Main())).debianBase())
                .contains(new KernelBase.Debian("linux-source-7.", ""));
    }

    @Test
    void pathsOnTheCommandLineAreMountedAndListingNeedsNoSource(@TempDir Path dir) throws IOException {
        Path series = Files.writeString(dir.resolve("s.patch"), "x");
        Invocation inv = Invocation.parse(List.of("run", "--base", "debian:linux-source-6.12=6.12.1-1", "--series",
                series.toString(), "--results-dir", dir.resolve("out").toString()), dir, new picocli.CommandLine(new hmmtest.cli.Main()));
        assertThat(inv.readOnly()).contains(series);
        assertThat(inv.readWrite()).containsExactly(dir.resolve("out"));
        assertThat(inv.debianBase()).contains(new KernelBase.Debian("linux-source-6.12", "6.12.1-1"));
        assertThat(Invocation.parse(List.of("kernels"), dir, new picocli.CommandLine(new hmmtest.cli.Main())).debianBase()).isEmpty();
    }

    /** A kernel built elsewhere: its files are mounted read-only and nothing is downloaded for it. */
    @Test
    void aPrebuiltKernelsFilesAreMountedAndNeedNoSource(@TempDir Path dir) {
        Invocation inv = Invocation.parse(List.of("run", "--kernel", dir.resolve("bzImage").toString(), "--module",
                dir.resolve("test_hmm.ko").toString(), "--kernel-config", dir.resolve("config").toString()), dir, new picocli.CommandLine(new hmmtest.cli.Main()));
        assertThat(inv.readOnly()).contains(dir.resolve("bzImage"), dir.resolve("test_hmm.ko"), dir.resolve("config"));
        assertThat(inv.debianBase()).isEmpty();
    }

    @Test
    void aLineThatDoesNotParseIsHandedOverAsIs(@TempDir Path dir) {
        Invocation inv = Invocation.parse(List.of("run", "--no-such-option"), dir, new picocli.CommandLine(new hmmtest.cli.Main()));
        assertThat(inv.subcommand()).isNull();
        assertThat(inv.args()).containsExactly("run", "--no-such-option");
    }

    @Test
    void mountsAreDeduplicatedUnderAWritableParent(@TempDir Path dir) {
        Path checkout = dir.resolve("co");
        Invocation inv = new Invocation(List.of(), "run", List.of(checkout.resolve("patches"), dir.resolve("missing")),
                List.of(checkout.resolve("results/x")), java.util.Optional.empty());
        List<ContainerRun.Mount> mounts = ContainerRun.mounts(checkout, dir.resolve("cache"), inv);
        assertThat(mounts).extracting(ContainerRun.Mount::path)
                .contains(checkout, dir.resolve("cache"))
                .doesNotContain(checkout.resolve("patches"), checkout.resolve("results/x"), dir.resolve("missing"));
        assertThat(mounts).filteredOn(m -> m.path().equals(Path.of("/etc/apt")))
                .allMatch(m -> !m.writable());
    }
}
