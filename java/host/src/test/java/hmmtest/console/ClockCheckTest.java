package hmmtest.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The console of 2026-12-04's false soft lockup, rebuilt on a corpus report: a 7.3 guest clock
 * jumped from 207.5 s to 3164.7 s between two lines, and the watchdog then claimed a CPU stuck for
 * 2753 s in a VM that had existed for about 300 s of host time.
 */
public class ClockCheckTest {
    private static final Pattern TS = Pattern.compile("^\\[\\s*(\\d+\\.\\d+)\\]");

    static List<String> corpus(String name) throws IOException {
        try (InputStream in = ClockCheckTest.class.getResourceAsStream("/console/" + name)) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            return lines.subList(lines.indexOf("") + 1, lines.size());
        }
    }

    /** 0007 with its boot at guest 207.x s and its soft lockup at 3164.x s, claiming 2753 s. */
    public static List<String> jumpedConsole() throws IOException {
        List<String> out = new ArrayList<>();
        boolean after = false;
        for (String l : corpus("0007")) {
            after |= l.contains("soft lockup");
            String shifted = l.replaceFirst("^\\[   60\\.", after ? "[ 3164." : "[  207.");
            out.add(shifted.replace("stuck for 26s!", "stuck for 2753s!"));
        }
        return out;
    }

    static double guestTime(String line) {
        Matcher m = TS.matcher(line);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    /** Feeds the lines; the host time of each line is {@code hostBase} + its offset within the console. */
    static ClockCheck feed(List<String> lines, double hostStart, double hostEnd) {
        ClockCheck c = new ClockCheck();
        for (int i = 0; i < lines.size(); i++) {
            c.line(lines.get(i), hostStart + (hostEnd - hostStart) * i / Math.max(1, lines.size() - 1));
        }
        return c;
    }

    @Test
    void aSoftLockupClaimingMoreThanTheVmLivedIsNotAKernelBug() throws IOException {
        List<String> console = jumpedConsole();
        CrashReport report = ConsoleParser.parse(console).get(0);
        assertThat(report.kind()).isEqualTo(CrashKind.SOFT_LOCKUP);
        assertThat(ClockCheck.claimedSeconds(report)).hasValue(2753);

        ClockCheck c = feed(console, 207.0, 208.0);
        assertThat(c.jumps()).singleElement().satisfies(j -> {
            assertThat(j.from()).isEqualTo(207.006579);
            assertThat(j.to()).isEqualTo(3164.007310);
        });
        assertThat(c.impossible(report, 300)).hasValueSatisfying(why -> assertThat(why)
                .contains("claims 2753 s, but this VM has run for 300 s of host time")
                .contains("guest clock jumped from 207.0 s to 3164.0 s"));
    }

    @Test
    void aJumpExplainsAStallEvenInAVmThatLivedLongEnough() throws IOException {
        List<String> console = jumpedConsole();
        CrashReport report = ConsoleParser.parse(console).get(0);
        // a week-long fuzz campaign: the VM lived long enough, but the stall is the jump
        ClockCheck c = feed(console, 7000.0, 7001.0);
        assertThat(c.impossible(report, 7001)).hasValueSatisfying(why -> assertThat(why)
                .contains("of which 2957 s are guest clock jumps"));
    }

    @Test
    void genuineStallsInTheCorpusStayCrashes() throws IOException {
        for (String name : List.of("0006", "0007", "0008", "0021")) {
            List<String> console = corpus(name);
            CrashReport report = ConsoleParser.parse(console).get(0);
            assertThat(ClockCheck.claimedSeconds(report)).as(name + " claims a duration").isPresent();
            // an honest clock: each line reaches the host when the guest printed it
            ClockCheck c = new ClockCheck();
            double last = 0;
            for (String l : console) {
                double g = guestTime(l);
                last = g >= 0 ? g : last;
                c.line(l, last);
            }
            assertThat(c.jumps()).as(name).isEmpty();
            assertThat(c.impossible(report, last)).as(name + " judged at host %.1f s", last).isEmpty();
        }
    }

    @Test
    void stretchesWithoutCpuMakeAStallClaimImpossible() throws IOException {
        List<String> console = corpus("0007"); // stuck for 26 s, at guest 60 s
        CrashReport report = ConsoleParser.parse(console).get(0);
        ClockCheck stopped = new ClockCheck();
        double cpu = 0;
        for (double t = 0; t <= 60; t += 1) {
            cpu += t > 30 && t <= 58 ? 0 : 0.9; // QEMU stopped from 30 s to 58 s of host time
            stopped.cpu(t, cpu);
        }
        assertThat(stopped.frozen()).as("samples every 2.5 s or more: 0, 3, ... 57, 60")
                .containsExactly(new ClockCheck.Frozen(30, 57));
        assertThat(stopped.impossible(report, 60)).hasValueSatisfying(why -> assertThat(why)
                .contains("QEMU got no CPU for 27 s"));

        ClockCheck busy = new ClockCheck(); // a vCPU spinning: a genuine lockup
        for (double t = 0; t <= 60; t += 1) {
            busy.cpu(t, t * 0.9);
        }
        ClockCheck idle = new ClockCheck(); // a guest whose task hangs: idle, 1 tick (10 ms) a second
        for (double t = 0; t <= 60; t += 1) {
            idle.cpu(t, t * 0.01);
        }
        assertThat(idle.frozen()).isEmpty();
        assertThat(busy.frozen()).isEmpty();
        assertThat(busy.impossible(report, 60)).isEmpty();
    }

    @Test
    void reportsThatClaimNoDurationAreNeverJudged() throws IOException {
        CrashReport oops = ConsoleParser.parse(corpus("0002")).get(0);
        assertThat(ClockCheck.claimedSeconds(oops)).isEmpty();
        assertThat(new ClockCheck().impossible(oops, 0.1)).isEmpty();
    }
}
