package hmmtest.lava;

import hmmtest.infra.ExitCode;
import hmmtest.infra.HarnessException;
import hmmtest.protocol.ResultRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished LAVA job of ours as lava-run left it in its --output-dir: LAVA's log (the console
 * lines, LAVA's own test cases and its verdict on the job), the guest's result records, and the
 * facts lava-job wrote there. Read and checked before anything else happens.
 */
public record LavaOutput(Path dir, List<LavaLog.Entry> log, List<String> records) {

    /** One console line and when the dispatcher read it. */
    public record ConsoleLine(String text, LocalDateTime at) {}

    /** One test case LAVA recorded from our monitor: our test id and LAVA's result (pass, fail, skip, unknown). */
    public record Case(String test, String result) {}

    /**
     * Reads {@code dir}. Refuses (exit 2) a directory that is not a lava-run output, or not one of a
     * job lava-job wrote, or whose log was not kept, saying which and what to do.
     */
    public static LavaOutput read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new HarnessException(ExitCode.USAGE, dir + " is not a directory (give lava-run's --output-dir)");
        }
        boolean lavaRan = Files.isRegularFile(dir.resolve("result.yaml")) || Files.isRegularFile(dir.resolve("description.yaml"));
        Path log = dir.resolve(LavaJob.LOG);
        if (!Files.isRegularFile(dir.resolve(LavaJob.FACTS))) {
            throw new HarnessException(ExitCode.USAGE, dir + " is not the output directory of a job written by"
                    + " `hmmtest lava-job` (no " + LavaJob.FACTS + (lavaRan ? "; lava-run did run there" : "; nor a lava-run"
                    + " output: no result.yaml or description.yaml") + ")");
        }
        if (!Files.isRegularFile(log)) {
            throw new HarnessException(ExitCode.USAGE, dir + " has no " + LavaJob.LOG + ": " + (lavaRan
                    ? "lava-run writes its log on stderr; keep it there (lava-run ... 2> " + log + "; make lava-run does)"
                    : "the job has not run (lava-run --output-dir " + dir + " ... 2> " + log + ")"));
        }
        List<LavaLog.Entry> entries = LavaLog.parse(Files.readAllLines(log, StandardCharsets.UTF_8));
        if (entries.isEmpty()) {
            throw new HarnessException(ExitCode.USAGE, log + " holds no LAVA log entries ({\"dt\": ..., \"lvl\": ..., \"msg\": ...} lines)");
        }
        Path records = dir.resolve(LavaJob.RECORDS);
        // No records file: QEMU never started (the job failed before its boot).
        List<String> lines = Files.isRegularFile(records) ? Files.readAllLines(records, StandardCharsets.UTF_8) : List.of();
        return new LavaOutput(dir, entries, lines);
    }

    /**
     * The kernel console as LAVA saw it: its "target" lines (and "feedback", what it read between
     * actions), with the escaping of LAVA's shell logger undone (it writes a console's {@code "} as {@code \"}).
     */
    public List<ConsoleLine> console() {
        List<ConsoleLine> out = new ArrayList<>();
        for (LavaLog.Entry e : log) {
            if ((e.lvl().equals("target") || e.lvl().equals("feedback")) && e.msg() instanceof String s) {
                out.add(new ConsoleLine(s.replace("\\\"", "\""), time(e.dt())));
            }
        }
        return out;
    }

    /** The test cases LAVA recorded from our monitor, in its order (LAVA lower-cases the case; the id is in extra). */
    public List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (LavaLog.Entry e : log) {
            Map<String, Object> m = e.map();
            if (e.lvl().equals("results") && LavaJob.SUITE.equals(m.get("definition"))) {
                Object extra = m.get("extra");
                String id = extra instanceof Map<?, ?> x && x.get("test_case_id") != null
                        ? String.valueOf(x.get("test_case_id")) : String.valueOf(m.get("case"));
                out.add(new Case(id, String.valueOf(m.get("result"))));
            }
        }
        return out;
    }

    /** LAVA's verdict on the job: its "lava/job" result ("pass", "fail") with error type and message, if any. */
    public Map<String, Object> job() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (LavaLog.Entry e : log) {
            Map<String, Object> m = e.map();
            if (e.lvl().equals("results") && "lava".equals(m.get("definition")) && "job".equals(m.get("case"))) {
                out.put("result", m.get("result"));
                if (m.get("error_type") != null) {
                    out.put("errorType", m.get("error_type"));
                    out.put("error", m.get("error_msg"));
                }
            }
        }
        if (out.isEmpty()) {
            out.put("result", "unfinished"); // the log ends before the job's verdict: lava-run was killed
        }
        return out;
    }

    /** From the log's first entry to its last: the job's wall time as LAVA logged it. */
    public Duration wallTime() {
        LocalDateTime first = time(log.get(0).dt());
        LocalDateTime last = time(log.get(log.size() - 1).dt());
        return first == null || last == null ? Duration.ZERO : Duration.between(first, last);
    }

    private static final java.util.regex.Pattern KERNEL_TIME = java.util.regex.Pattern.compile("^\\[\\s*(\\d+\\.\\d+)\\]");

    /** When LAVA started QEMU: its "Boot command" line. */
    LocalDateTime qemuStarted() {
        for (LavaLog.Entry e : log) {
            if (e.lvl().equals("info") && e.text().startsWith("Boot command:")) {
                return time(e.dt());
            }
        }
        return null;
    }

    /**
     * Host seconds from QEMU's start to the moment of {@code guestSeconds} of guest uptime, by the
     * dispatcher's clock: from the first console line the kernel stamped at or after it; null when
     * the log cannot say.
     */
    public Double hostSecondsAt(double guestSeconds) {
        LocalDateTime start = qemuStarted();
        if (start == null) {
            return null;
        }
        for (ConsoleLine l : console()) {
            java.util.regex.Matcher m = KERNEL_TIME.matcher(l.text());
            if (l.at() != null && m.find() && Double.parseDouble(m.group(1)) >= guestSeconds) {
                // back from that line to the moment itself at the guest clock's pace (the console may be quiet in between)
                double back = Double.parseDouble(m.group(1)) - guestSeconds;
                return Math.round((Duration.between(start, l.at()).toMillis() / 1000.0 - back) * 100) / 100.0;
            }
        }
        return null;
    }

    /** Host seconds from QEMU's start to the console's last line; null when the log cannot say. */
    public Double vmSeconds() {
        LocalDateTime start = qemuStarted();
        List<ConsoleLine> c = console();
        return start == null || c.isEmpty() || c.get(c.size() - 1).at() == null ? null
                : Duration.between(start, c.get(c.size() - 1).at()).toMillis() / 1000.0;
    }

    /** The guest's records that decode (for a count in messages). */
    public long decodedRecords() {
        return records.stream().filter(r -> ResultRecord.decode(r) != null).count();
    }

    static LocalDateTime time(String dt) {
        try {
            return LocalDateTime.parse(dt);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
