package hmmtest.console;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the kernel-mode {@code RIP:} function and the first {@code Call Trace:} of a report. */
final class StackParser {

    /** One call-trace frame. */
    record Frame(String function, boolean reliable, boolean inInterrupt) {}

    /** The frames of one report; rip is null when no kernel-mode RIP names a function. */
    record Stack(String rip, List<Frame> frames) {}

    // "RIP: 0010:make_device_exclusive+0x131/0x146"; user-mode "RIP: 0033:0x7f..." names no function.
    private static final Pattern RIP = Pattern.compile(
            "^\\s*RIP: [0-9a-f]{4}:(?:\\[<[0-9a-f]+>\\]\\s+)?([A-Za-z0-9_.]+)\\+0x[0-9a-f]+/0x[0-9a-f]+");
    // " ? __die+0x1f/0x70" ("?" marks a frame the unwinder could not confirm) or " do_syscall_64+0x9e/0x1a0".
    private static final Pattern FRAME = Pattern.compile(
            "^\\s*(?:\\[<[0-9a-f]+>\\]\\s*)?(\\?\\s+)?([A-Za-z0-9_.]+)\\+0x[0-9a-f]+/0x[0-9a-f]+");
    // Lines after which the first trace cannot continue.
    private static final Pattern TRACE_END = Pattern.compile(
            "^(?:---\\[ end |Modules linked in:|Allocated by task|Freed by task|Last potentially related"
                    + "|The buggy address|Kernel Offset:|Showing all locks|Code:)");
    private static final int MAX_TRACE_LINES = 100;

    private StackParser() {}

    static Stack parse(List<String> lines) {
        String rip = null;
        for (String line : lines) {
            Matcher m = RIP.matcher(line);
            if (m.find()) {
                rip = m.group(1);
                break;
            }
        }
        return new Stack(rip, traceFrames(lines));
    }

    private static List<Frame> traceFrames(List<String> lines) {
        List<Frame> frames = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < lines.size() && start < 0; i++) {
            if (lines.get(i).contains("Call Trace:")) {
                start = i + 1;
            }
        }
        if (start < 0) {
            return frames;
        }
        int interruptDepth = 0;
        for (int i = start; i < lines.size() && i < start + MAX_TRACE_LINES; i++) {
            String line = lines.get(i).trim();
            if (line.equals("<IRQ>") || line.equals("<NMI>") || line.equals("<SOFTIRQ>")) {
                interruptDepth++;
            } else if (line.equals("</IRQ>") || line.equals("</NMI>") || line.equals("</SOFTIRQ>")
                    || line.equals("<EOI>")) {
                interruptDepth = Math.max(0, interruptDepth - 1);
            } else if (line.equals("</TASK>") && interruptDepth == 0 || TRACE_END.matcher(line).find()) {
                break;
            } else {
                // Anything else (interleaved output, user-mode registers) is not a frame; keep going.
                Matcher m = FRAME.matcher(line);
                if (m.find()) {
                    frames.add(new Frame(m.group(2), m.group(1) == null, interruptDepth > 0));
                }
            }
        }
        return frames;
    }
}
