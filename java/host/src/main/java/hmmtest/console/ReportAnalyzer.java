package hmmtest.console;

import hmmtest.console.CrashReport.Completion;
import hmmtest.console.StackParser.Frame;
import hmmtest.console.StackParser.Stack;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns the collected lines of one report into a {@link CrashReport}: title, frame, flags. */
final class ReportAnalyzer {

    // "CPU: 0 UID: 0 PID: 93 Comm: java Not tainted 7.3.4 #1" or "... Tainted: G        W  7.3.4 #1".
    private static final Pattern CPU_LINE = Pattern.compile(
            "CPU: \\d+ (?:UID: \\d+ )?PID: (\\d+) Comm: (.*?) (?:Kdump: loaded )?"
                    + "(?:Not tainted|Tainted: ([A-Z](?: +[A-Z])*))");
    // Hung-task reports print the taint on a line of its own and the task on a "task:" line.
    private static final Pattern TAINT_LINE = Pattern.compile("^\\s+(?:Not tainted|Tainted: ([A-Z](?: +[A-Z])*)) ");
    private static final Pattern TASK_LINE = Pattern.compile("^task:(\\S+)\\s+state:\\S+.*?\\bpid:\\s*(\\d+)");
    private static final Pattern TIMESTAMP = Pattern.compile("\\[\\s*\\d+\\.\\d+\\]");
    // Where a stall's loop is entered from user space or a worker (syzkaller's stall anchors, abridged).
    private static final Pattern STALL_ANCHOR = Pattern.compile(
            "do_syscall_.*|__x64_sys_(?:ioctl|read|write|mmap)|vfs_(?:ioctl|read|write)|process_one_work|kthread"
                    + "|ret_from_fork.*|handle_mm_fault|__do_fault|__fput|task_work_run|do_mmap|mmap_region");

    private ReportAnalyzer() {}

    static CrashReport analyze(OpenReport r, Completion completion) {
        OopsFormat f = r.format();
        // Blank lines are trailer only between a report's end and what follows; they end nothing.
        List<ConsoleLine> lines = r.lines;
        while (lines.size() > 1 && lines.get(lines.size() - 1).text().isBlank()) {
            lines = lines.subList(0, lines.size() - 1);
        }
        List<String> texts = lines.stream().map(ConsoleLine::text).toList();
        List<String> groups = new ArrayList<>(r.match.groups());
        String template = f.template();
        if (f.detail() != null) {
            Matcher detail = findFirst(f.detail(), texts);
            if (detail != null) {
                groups.addAll(OopsTable.groups(detail));
            } else if (f.fallback() != null) {
                template = f.fallback();
            }
        }
        Stack stack = StackParser.parse(texts);
        String frame = guiltyFrame(f.stack(), groups, stack);
        String title = Titles.render(template, groups, frame);
        List<String> alts = altTitles(f, template, groups, frame, stack, title);

        String corrupted = f.corrupted();
        if (corrupted == null && f.stack().required() && frame == null) {
            corrupted = "no guilty frame: the report has no usable RIP line or call trace";
        }
        if (corrupted == null && TIMESTAMP.matcher(title).find()) {
            corrupted = "a console timestamp inside the title: interleaved output";
        }

        String taint = null;
        Integer pid = null;
        String comm = null;
        Matcher cpu = findFirst(CPU_LINE, texts);
        if (cpu != null) {
            pid = Integer.valueOf(cpu.group(1));
            comm = cpu.group(2);
            taint = compactTaint(cpu.group(3));
        } else {
            Matcher taintLine = findFirst(TAINT_LINE, texts);
            taint = taintLine == null ? null : compactTaint(taintLine.group(1));
            Matcher task = findFirst(TASK_LINE, texts);
            if (task != null) {
                comm = task.group(1);
                pid = Integer.valueOf(task.group(2));
            }
        }

        return new CrashReport(
                f.kind(), title, alts, Optional.ofNullable(frame),
                r.startLine, lines.get(lines.size() - 1).index(), texts,
                corrupted != null, Optional.ofNullable(corrupted),
                f.fatal() || r.oopsed || r.panicked, r.panicked,
                Optional.ofNullable(taint), Optional.ofNullable(r.callerId),
                pid == null ? OptionalInt.empty() : OptionalInt.of(pid), Optional.ofNullable(comm),
                completion);
    }

    /** The first candidate (header group, RIP, reliable trace frames) that is not a generic helper. */
    static String guiltyFrame(StackRule rule, List<String> groups, Stack stack) {
        List<String> candidates = new ArrayList<>();
        if (rule.group() > 0 && rule.group() <= groups.size() && groups.get(rule.group() - 1) != null) {
            candidates.add(groups.get(rule.group() - 1));
        }
        if (rule.rip() && stack.rip() != null) {
            candidates.add(stack.rip());
        }
        if (rule.trace()) {
            // A kernel without a reliable unwinder marks every frame "?": then they are all we have.
            boolean anyReliable = stack.frames().stream().anyMatch(Frame::reliable);
            for (Frame frame : stack.frames()) {
                if ((frame.reliable() || !anyReliable) && !(rule.stall() && frame.inInterrupt())) {
                    candidates.add(frame.function());
                }
            }
        }
        for (String candidate : candidates) {
            String name = Titles.cleanFrame(candidate);
            if (!skipped(name, rule)) {
                return name;
            }
        }
        return null;
    }

    private static boolean skipped(String name, StackRule rule) {
        return OopsTable.GENERIC_SKIP.stream().anyMatch(p -> p.matcher(name).matches())
                || rule.skip().stream().anyMatch(p -> p.matcher(name).matches());
    }

    private static List<String> altTitles(OopsFormat f, String template, List<String> groups, String frame,
            Stack stack, String title) {
        Set<String> alts = new LinkedHashSet<>();
        for (String alt : f.alts()) {
            if (frame != null || !alt.contains("{frame}")) {
                alts.add(Titles.render(alt, groups, frame));
            }
        }
        if (f.stack().stall()) {
            String anchored = stallAnchorFrame(stack);
            if (anchored != null) {
                alts.add(Titles.render(template, groups, anchored));
            }
        }
        alts.remove(title);
        return List.copyOf(alts);
    }

    /**
     * A stall is noticed at a random point of a loop; the frame just below the syscall or worker
     * entry names the loop more stably (syzkaller's stall extractor).
     */
    private static String stallAnchorFrame(Stack stack) {
        boolean anyReliable = stack.frames().stream().anyMatch(Frame::reliable);
        List<String> task = stack.frames().stream()
                .filter(fr -> (fr.reliable() || !anyReliable) && !fr.inInterrupt())
                .map(fr -> Titles.cleanFrame(fr.function()))
                .toList();
        for (int i = 1; i < task.size(); i++) {
            if (STALL_ANCHOR.matcher(task.get(i)).matches()) {
                return task.get(i - 1).replaceFirst("^__(?:x64|ia32)_", "");
            }
        }
        return null;
    }

    private static String compactTaint(String flags) {
        return flags == null ? "" : flags.replace(" ", "");
    }

    private static Matcher findFirst(Pattern pattern, List<String> lines) {
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m;
            }
        }
        return null;
    }
}
