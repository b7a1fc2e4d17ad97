package hmmtest.console;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a report's guilty frame comes from. Sources are tried in a fixed order: a capture group of
 * the header (e.g. the function KASAN names), then the {@code RIP:} line, then the first reliable
 * frame of the first {@code Call Trace:}. A candidate is rejected when it matches the generic skip
 * list or this rule's own {@code skip} patterns.
 *
 * @param group header/detail capture group holding a function name, 0 for none
 * @param rip whether the kernel-mode {@code RIP:} function is a candidate
 * @param trace whether call-trace frames are candidates
 * @param required whether a report without any frame is corrupted
 * @param stall whether this is a stall report: frames inside {@code <IRQ>}/{@code <NMI>} belong to
 *     the detector, not the culprit, and an alternative title names the syscall-level caller
 * @param skip extra function-name patterns (full match) that are never guilty for this kind
 */
record StackRule(int group, boolean rip, boolean trace, boolean required, boolean stall, List<Pattern> skip) {

    /** The title does not name a frame and the report need not carry a stack. */
    static final StackRule NONE = new StackRule(0, false, false, false, false, List.of());

    static StackRule ripThenTrace(String... skip) {
        return new StackRule(0, true, true, true, false, compile(skip));
    }

    static StackRule traceOnly(String... skip) {
        return new StackRule(0, false, true, true, false, compile(skip));
    }

    static StackRule groupThenTrace(int group, String... skip) {
        return new StackRule(group, true, true, true, false, compile(skip));
    }

    /** The frame is informative only: a report without one is still complete. */
    StackRule optional() {
        return new StackRule(group, rip, trace, false, stall, skip);
    }

    StackRule forStall() {
        return new StackRule(group, rip, trace, required, true, skip);
    }

    boolean wantsFrame() {
        return group > 0 || rip || trace;
    }

    private static List<Pattern> compile(String... regexes) {
        return Arrays.stream(regexes).map(Pattern::compile).toList();
    }
}
