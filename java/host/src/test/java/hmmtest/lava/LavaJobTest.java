package hmmtest.lava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmmtest.infra.ExitCode;
import hmmtest.infra.HarnessException;
import hmmtest.protocol.TestMarker;
import hmmtest.session.RunSettings;
import hmmtest.session.Timeouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LavaJobTest {
    static RunSettings settings(String select) {
        return new RunSettings("tcg", "madvise", select, true, Duration.ofSeconds(900), null, false, 2048, false, false,
                true);
    }

    @Test
    void theJobBootsWithTheRunsCommandLineAndReadsEveryVerdictFromTheConsole(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        Timeouts t = Timeouts.defaults(false, Duration.ofSeconds(900));
        java.nio.file.Files.writeString(tmp.resolve("manifest.json"), "{\"kernelRelease\": \"7.3.4\"}");
        String yaml = LavaJob.jobYaml("merged", new hmmtest.kernel.KernelBuild(tmp), settings("hmm.*"), t, Path.of("/jobs/j/bzImage"), Path.of("/jobs/j/initramfs.cpio"),
                List.of("console=ttyS0", "memmap=512M$0x60000000", "hmmtest.select=hmm.*"),
                LavaJob.extraOptions(Path.of("/jobs/j/output/results.log")));
        assertThat(yaml).contains("device_type: qemu", "  no_kvm: true", "  arch: amd64", "  memory: 2048",
                "url: \"file:///jobs/j/bzImage\"", "-append \\\"console=ttyS0 memmap=512M$0x60000000 hmmtest.select=hmm.*\\\"",
                "-chardev file,id=results,path=/jobs/j/output/results.log", "name=hmmtest.results", "-no-reboot",
                "start: \"hmmtest: start \"", "end: \"hmmtest-init: guest harness exited with\"", "SKIP: skip",
                "ERROR: fail", "connection: {seconds: 120}", "timeout: {seconds: 120}");
        // The monitor's pattern, as Python reads it, finds a whole end marker and not a part of one
        // still arriving (pexpect matches as soon as it can).
        String pattern = yaml.lines().filter(l -> l.contains("pattern: ")).findFirst().orElseThrow()
                .replaceFirst(".*pattern: \"", "").replaceFirst("\"$", "").replace("\\\\", "\\")
                .replace("(?P<test_case_id>", "(?<id>").replace("(?P<", "(?<"); // Java's group names: no underscores
        Matcher m = Pattern.compile(pattern).matcher("[   11.02][  T66] " + TestMarker.endText("hmm.x.y", "SKIP"));
        assertThat(m.find()).isTrue();
        assertThat(m.group("id")).isEqualTo("hmm.x.y");
        assertThat(m.group("result")).isEqualTo("SKIP");
        assertThat(Pattern.compile(pattern).matcher("[   11.02][  T66] hmmtest: end hmm.x.y P").find()).isFalse();
    }

    @Test
    void whatOneLavaJobCannotDoIsRefusedBeforeAnyBuild() {
        assertThatThrownBy(() -> LavaJob.check(settings("crashprobe.null_deref"), Path.of("/tmp/j")))
                .isInstanceOfSatisfying(HarnessException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("a kernel panic ends a LAVA job");
        assertThatThrownBy(() -> LavaJob.check(settings(null), Path.of("/tmp/my jobs/j")))
                .hasMessageContaining("must not contain spaces");
    }

    @Test
    void aMissingLavaRunIsAMissingHostTool() {
        System.setProperty("hmmtest.lava-run", "/nonexistent/lava-run");
        try {
            assertThatThrownBy(LavaRun::checkAvailable)
                    .isInstanceOfSatisfying(HarnessException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.MISSING_HOST_TOOLS))
                    .hasMessageContaining("lava-dispatcher");
            assertThat(hmmtest.cli.Main.execute("lava-run", "--variant", "merged", "--job-dir", "/tmp/lava-never"))
                    .isEqualTo(ExitCode.MISSING_HOST_TOOLS.code);
        } finally {
            System.clearProperty("hmmtest.lava-run");
        }
    }
}
