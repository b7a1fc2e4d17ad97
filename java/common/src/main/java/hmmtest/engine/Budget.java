package hmmtest.engine;

import java.time.Duration;

/**
 * How long a fuzz run goes on: it stops at whichever limit comes first. Time counts the whole
 * run, in-guest shrinking included; {@code actions} counts main-run actions only.
 */
public record Budget(long actions, Duration time) {
    public Budget {
        if (actions < 0 || time.isNegative()) {
            throw new IllegalArgumentException("negative budget");
        }
    }

    public static Budget actions(long n) {
        return new Budget(n, Duration.ofDays(365));
    }

    public static Budget seconds(long s) {
        return new Budget(Long.MAX_VALUE, Duration.ofSeconds(s));
    }

    @Override
    public String toString() {
        return (actions == Long.MAX_VALUE ? "" : actions + " actions")
                + (actions != Long.MAX_VALUE && time.toDays() < 365 ? ", " : "")
                + (time.toDays() < 365 ? time.toSeconds() + " s" : "");
    }
}
