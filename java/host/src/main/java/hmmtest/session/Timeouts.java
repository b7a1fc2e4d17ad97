package hmmtest.session;

import java.time.Duration;

/**
 * How long a VM may take to boot, a test to run, and the whole session to last. TCG is about
 * 5-10x slower than KVM, so the defaults scale with the accelerator.
 */
public record Timeouts(Duration boot, Duration perTest, Duration wholeRun) {
    public static Timeouts defaults(boolean kvm, Duration wholeRun) {
        int scale = kvm ? 1 : 6;
        return new Timeouts(Duration.ofSeconds(20L * scale), Duration.ofSeconds(20L * scale), wholeRun);
    }

    public Timeouts withPerTest(Duration d) {
        return new Timeouts(boot, d, wholeRun);
    }
}
