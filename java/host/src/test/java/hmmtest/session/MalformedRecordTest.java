package hmmtest.session;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.console.KnownIssues;
import hmmtest.pipeline.ResultFiles;
import hmmtest.infra.ExitCode;
import hmmtest.results.TestOutcome;
import hmmtest.results.TestStatus;
import hmmtest.vm.Accelerator;
import hmmtest.vm.Machine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A result record cut short or garbled on the guest-to-host channel, through the real session
 * (SuiteSession, QemuVm's live reading of the channel, the record decoder) without a VM: a
 * script stands in for QEMU (-Dhmmtest.qemu) and writes what a guest would, with one garbled
 * line in the middle and a last record cut short (no newline) as when a VM dies mid-write.
 * Each must be reported and kept in the notes as malformed-records, and every other test's
 * outcome must be exactly what its records said.
 */
class MalformedRecordTest {

    @Test
    void aGarbledAndATruncatedRecordAreReportedAndTheOtherOutcomesStand(@TempDir Path tmp) throws Exception {
        String garbled = "end\thmm.fake.two\tPA\\qSS\t7\tbad escape";
        String truncated = "note\thmm.fake.three\tobserv";
        String records = String.join("\n",
                "phase\tinit\t0.5",
                "phase\tmodule-loaded\t0.6",
                "phase\tjvm-started\t1.0",
                "info\tkernel\t7.3.4",
                "plan\t0\thmm.fake.one",
                "plan\t1\thmm.fake.two",
                "plan\t2\thmm.fake.three",
                "start\thmm.fake.one",
                "end\thmm.fake.one\tPASS\t5\t",
                "start\thmm.fake.two",
                garbled,
                "end\thmm.fake.two\tFAIL\t7\texpected 1 but was 2",
                "start\thmm.fake.three",
                "end\thmm.fake.three\tPASS\t3\t",
                "done\t1",
                truncated); // no newline: all the guest wrote of its last record
        Path recordsFile = Files.writeString(tmp.resolve("records.txt"), records);
        Path qemu = tmp.resolve("fake-qemu");
        Files.writeString(qemu, "#!/bin/bash\n"
                + "# Plays a guest: a console line on stdout, the records into the results chardev's file.\n"
                + "for a in \"$@\"; do case \"$a\" in file,id=results,path=*) results=\"${a#file,id=results,path=}\";; esac; done\n"
                + "echo 'Linux version 7.3.4 (fake guest)'\n"
                + "cat '" + recordsFile + "' >> \"$results\"\n"
                + "sleep 0.2\n"
                + "echo 'reboot: Restarting system'\n");
        Files.setPosixFilePermissions(qemu, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path bzImage = Files.writeString(tmp.resolve("bzImage"), "not booted");
        Path initrd = Files.writeString(tmp.resolve("initramfs.cpio"), "not booted");

        String before = System.getProperty("hmmtest.qemu");
        System.setProperty("hmmtest.qemu", qemu.toString());
        SessionResults results;
        try {
            Machine machine = new Machine(bzImage, initrd, new Accelerator.Choice("tcg", "unit test"), 2048,
                    List.of("console=ttyS0"), null);
            Timeouts timeouts = new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(60));
            results = new SuiteSession(new SuiteSession.Config(machine, null, timeouts, tmp.resolve("results"), false,
                    KnownIssues.none())).run();
        } finally {
            if (before == null) {
                System.clearProperty("hmmtest.qemu");
            } else {
                System.setProperty("hmmtest.qemu", before);
            }
        }

        Map<String, TestStatus> verdicts = results.tests().stream()
                .collect(Collectors.toMap(TestOutcome::id, TestOutcome::status));
        assertThat(verdicts).containsExactlyInAnyOrderEntriesOf(Map.of(
                "hmm.fake.one", TestStatus.PASS, "hmm.fake.two", TestStatus.FAIL, "hmm.fake.three", TestStatus.PASS));
        assertThat(results.tests().stream().filter(t -> t.id().equals("hmm.fake.two")).findFirst().orElseThrow().message())
                .isEqualTo("expected 1 but was 2");
        assertThat(results.notes()).containsKey("malformed-records");
        assertThat(results.notes().get("malformed-records").values()).containsExactly(garbled, truncated);
        assertThat(results.crashes()).isEmpty();
        assertThat(results.incomplete()).isNull();
        assertThat(ResultFiles.exitCode(results)).isEqualTo(ExitCode.TESTS_FAILED);
        assertThat(Files.readString(tmp.resolve("results/vm-1/results.log"))).endsWith(truncated);
    }
}
