package hmmtest.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a stall detector's claim can be true. Under TCG the guest's clock follows the host's: a
 * host that pauses, steps its clock or starves QEMU makes the guest clock jump, and the soft-lockup,
 * hung-task and RCU-stall detectors then report durations that never passed. Fed every console line
 * with the host time it arrived at (seconds since this VM's QEMU started), it finds the guest clock's
 * jumps and judges a report impossible when
 * <ul>
 *   <li>it claims more time than the VM has existed on the host (plus {@value #SLACK_SECONDS} s), or
 *   <li>at least half of the time it claims falls in guest clock jumps, or
 *   <li>at least three quarters of it fall in stretches where the VM got no CPU on the host (fed by
 *       {@link #cpu}): QEMU was stopped (SIGSTOP, a paused container), or starved, and the
 *       guest's clock, which follows the host's, moved on while no guest code ran.
 * </ul>
 * Such a report is an infrastructure event, not a kernel bug.
 */
public final class ClockCheck {
    /** Console delivery jitter and the detectors' own rounding. */
    static final double SLACK_SECONDS = 10;
    /** The guest clock running this much ahead of the host between two lines is a jump, not buffering. */
    static final double JUMP_SECONDS = 15;
    /**
     * RCU stalls are claimed in jiffies. 1000 is the largest HZ a kernel has: the claim in seconds
     * is then never overstated, so a genuine stall on a kernel of unknown HZ is not explained away
     * (a jump that explains it is still found by the second rule).
     */
    static final int CONSERVATIVE_HZ = 1000;

    private static final Pattern TIMESTAMP = Pattern.compile("^\\[\\s*(\\d+\\.\\d+)\\]");
    private static final Pattern SOFT_LOCKUP = Pattern.compile("soft lockup - CPU#\\d+ stuck for (\\d+)s!");
    private static final Pattern HUNG_TASK = Pattern.compile("blocked for more than (\\d+) seconds");
    private static final Pattern RCU_STALL = Pattern.compile("\\bt=(\\d+) jiffies");

    /** The guest clock ran {@code excess} seconds ahead of the host between guest times {@code from} and {@code to}. */
    public record Jump(double from, double to, double excess, double hostSeconds) {
        public String describe() {
            return String.format(Locale.ROOT, "guest clock jumped from %.1f s to %.1f s in %.1f s of host time", from, to,
                    (to - from) - excess);
        }
    }

    /**
     * Below this share of one CPU over a sample, the VM was not running. An idle TCG guest still
     * ticks: 1-5 % of a CPU per second was measured during a genuine hung task (2026-12-04), so
     * "frozen" means less than one 10 ms clock tick of /proc's CPU times in a whole sample.
     */
    static final double FROZEN_CPU_SHARE = 0.004;
    /** Samples of at least this length: one 10 ms tick is then below FROZEN_CPU_SHARE. */
    static final double MIN_SAMPLE_SECONDS = 2.5;

    /** Host seconds {@code from}..{@code to} in which the VM got no CPU. */
    public record Frozen(double from, double to) {
        double overlap(double a, double b) {
            return Math.max(0, Math.min(to, b) - Math.max(from, a));
        }
    }

    private final List<Jump> jumps = new ArrayList<>();
    private final List<Frozen> frozen = new ArrayList<>();
    private double lastCpuHost = -1;
    private double lastCpu;
    private double lastGuest = -1;
    private double lastHost;
    private double lastGuestSeen = -1;

    /** One console line and the host time it arrived at. */
    public void line(String line, double hostSeconds) {
        Matcher m = TIMESTAMP.matcher(line);
        if (!m.find()) {
            return;
        }
        double guest = Double.parseDouble(m.group(1));
        if (lastGuest >= 0 && guest >= lastGuest) {
            double excess = (guest - lastGuest) - (hostSeconds - lastHost);
            if (excess > JUMP_SECONDS) {
                jumps.add(new Jump(lastGuest, guest, excess, hostSeconds));
            }
        }
        lastGuest = guest;
        lastHost = hostSeconds;
        lastGuestSeen = guest;
    }

    /**
     * A sample of the VM's host CPU time. Returns whether it was taken (samples closer than
     * {@value #MIN_SAMPLE_SECONDS} s to the previous one are skipped).
     */
    public boolean cpu(double hostSeconds, double cpuSeconds) {
        if (!sampleDue(hostSeconds)) {
            return false;
        }
        if (lastCpuHost >= 0 && cpuSeconds - lastCpu < FROZEN_CPU_SHARE * (hostSeconds - lastCpuHost)) {
            Frozen last = frozen.isEmpty() ? null : frozen.get(frozen.size() - 1);
            if (last != null && last.to() == lastCpuHost) {
                frozen.set(frozen.size() - 1, new Frozen(last.from(), hostSeconds));
            } else {
                frozen.add(new Frozen(lastCpuHost, hostSeconds));
            }
        }
        lastCpuHost = hostSeconds;
        lastCpu = cpuSeconds;
        return true;
    }

    /**
     * A report's first line just arrived: its claim is judged against this moment, not against
     * when the report completed (a soft lockup's report can stay open for a minute of later lines).
     */
    public void reportStarted(double hostSeconds) {
        if (startHost < 0) {
            startHost = hostSeconds;
            startGuest = lastGuestSeen;
        }
    }

    private double startHost = -1;
    private double startGuest = -1;

    /**
     * Samples the VM's CPU time through {@code cpuSeconds} only when a sample is due: callers poll
     * every few milliseconds, and reading /proc each time would be work thrown away.
     */
    public boolean cpu(double hostSeconds, java.util.function.DoubleSupplier cpuSeconds) {
        return sampleDue(hostSeconds) && cpu(hostSeconds, cpuSeconds.getAsDouble());
    }

    private boolean sampleDue(double hostSeconds) {
        return lastCpuHost < 0 || hostSeconds - lastCpuHost >= MIN_SAMPLE_SECONDS;
    }

    public List<Frozen> frozen() {
        return List.copyOf(frozen);
    }

    public List<Jump> jumps() {
        return List.copyOf(jumps);
    }

    /** The duration a stall report claims, in seconds, if it is one. */
    public static OptionalDouble claimedSeconds(CrashReport r) {
        Pattern p = switch (r.kind()) {
            case SOFT_LOCKUP -> SOFT_LOCKUP;
            case HUNG_TASK -> HUNG_TASK;
            case RCU_STALL -> RCU_STALL;
            default -> null;
        };
        if (p == null) {
            return OptionalDouble.empty();
        }
        for (String l : r.excerpt()) {
            Matcher m = p.matcher(l);
            if (m.find()) {
                double v = Double.parseDouble(m.group(1));
                return OptionalDouble.of(r.kind() == CrashKind.RCU_STALL ? v / CONSERVATIVE_HZ : v);
            }
        }
        return OptionalDouble.empty();
    }

    /**
     * Why this report cannot be true, or empty when it can (or claims no duration).
     * {@code hostNow}: how long this VM's QEMU has run on the host now; the report is judged at the
     * moment {@link #reportStarted} marked, when there was one.
     */
    public Optional<String> impossible(CrashReport r, double hostNow) {
        double hostSeconds = startHost >= 0 ? startHost : hostNow;
        double reportAt = startHost >= 0 ? startGuest : lastGuestSeen;
        startHost = -1;
        startGuest = -1;
        OptionalDouble claimed = claimedSeconds(r);
        if (claimed.isEmpty()) {
            return Optional.empty();
        }
        double c = claimed.getAsDouble();
        double jumped = jumps.stream().filter(j -> reportAt < 0 || j.to() >= reportAt - c).mapToDouble(Jump::excess).sum();
        String jumpText = jumps.isEmpty() ? "" : "; " + jumps.get(jumps.size() - 1).describe();
        if (c > hostSeconds + SLACK_SECONDS) {
            return Optional.of(String.format(Locale.ROOT, "%s claims %.0f s, but this VM has run for %.0f s of host time%s",
                    r.kind(), c, hostSeconds, jumpText));
        }
        double stopped = frozen.stream().mapToDouble(f -> f.overlap(hostSeconds - c - SLACK_SECONDS, hostSeconds)).sum();
        if (stopped >= c * 3 / 4) { // three quarters: an idle guest's rare tick-less samples never add up to it
            return Optional.of(String.format(Locale.ROOT, "%s claims %.0f s, but QEMU got no CPU for %.0f s of them: the"
                    + " host paused, suspended or starved the VM", r.kind(), c, stopped));
        }
        if (jumped >= c / 2) {
            return Optional.of(String.format(Locale.ROOT, "%s claims %.0f s, of which %.0f s are guest clock jumps%s",
                    r.kind(), c, jumped, jumpText));
        }
        return Optional.empty();
    }
}
