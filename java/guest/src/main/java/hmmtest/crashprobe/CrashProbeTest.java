package hmmtest.crashprobe;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Not device tests: each one breaks the kernel on purpose through LKDTM (CONFIG_LKDTM,
 * /sys/kernel/debug/provoke-crash), so the project's own integration tests can check that the
 * host detects, titles and attributes a panic, a WARNING and a hang and carries on in a fresh VM;
 * and one ({@link #oom()}) exhausts the guest's memory, for the OOM killer's report.
 * The guest runs them only when a selection names "crashprobe.*" explicitly.
 */
@DisplayName("crashprobe")
class CrashProbeTest {
    private static final Path DIRECT = Path.of("/sys/kernel/debug/provoke-crash/DIRECT");

    private static void provoke(String what) {
        Assumptions.assumeTrue(Files.exists(DIRECT), "no LKDTM in this kernel (" + DIRECT + ")");
        try {
            Files.writeString(DIRECT, what);
        } catch (IOException e) {
            fail("writing " + what + " to " + DIRECT + ": " + e);
        }
    }

    /** sysrq-c: "Kernel panic - not syncing: sysrq triggered crash". */
    @Test
    void panic() throws IOException {
        Files.writeString(Path.of("/proc/sysrq-trigger"), "c");
        fail("the kernel survived sysrq-c");
    }

    /**
     * A deliberately flaky crash: sysrq-c in every second VM the host starts (odd serials in
     * /etc/hmmtest/vm-serial, which the host sends with crash-probe selections), a pass in the
     * others. The host's confirmation reruns must label it flaky.
     */
    @Test
    void flaky_panic() throws IOException {
        Path serial = Path.of("/etc/hmmtest/vm-serial");
        Assumptions.assumeTrue(Files.exists(serial), "no VM serial from the host");
        if (Long.parseLong(Files.readString(serial).trim()) % 2 == 1) {
            Files.writeString(Path.of("/proc/sysrq-trigger"), "c");
            fail("the kernel survived sysrq-c");
        }
    }

    /** A WARN_ON() in LKDTM: the kernel taints and goes on; the host must still stop this VM. */
    @Test
    void warning() {
        provoke("WARNING");
    }

    /** An uninterruptible sleep forever: the hung-task detector or the per-test timeout must catch it. */
    @Test
    void hang() {
        provoke("HUNG_TASK");
        fail("HUNG_TASK returned");
    }

    /**
     * Exhausts the guest's memory: anonymous memory populated 64 MiB at a time (MAP_POPULATE: the
     * kernel faults it all in at once, no per-page round trips under TCG) until the kernel's OOM
     * killer acts. It kills the biggest process, this JVM: the host must name the OOM kill, pin it
     * on this test and carry on in a fresh VM. Nothing of the driver is involved.
     */
    @Test
    void oom() {
        long chunk = 64L << 20;
        for (int i = 0; i < 1024; i++) { // 64 GiB: more than any guest has
            long addr = hmmtest.abi.Sys.mmap(0, chunk, hmmtest.abi.Sys.PROT_READ | hmmtest.abi.Sys.PROT_WRITE,
                    hmmtest.abi.Sys.MAP_PRIVATE | hmmtest.abi.Sys.MAP_ANONYMOUS | hmmtest.abi.Sys.MAP_POPULATE, -1, 0);
            if (addr < 0 && addr > -4096) {
                fail("mmap of chunk " + i + " failed with errno " + -addr + " before the OOM killer acted");
            }
        }
        fail("the guest populated 64 GiB without running out of memory");
    }

    /**
     * Ordered last by name: it runs after the crashes above, so it must find a fresh VM whose
     * kernel is not tainted (a WARNING or an oops in this VM would have set taint flags).
     */
    @Test
    void zz_after() throws IOException {
        String taint = Files.readString(Path.of("/proc/sys/kernel/tainted")).trim();
        org.junit.jupiter.api.Assertions.assertEquals("0", taint, "tainted kernel: the session did not start a fresh VM");
    }
}
