package hmmtest.console;

import static hmmtest.console.CrashKind.BAD_PAGE;
import static hmmtest.console.CrashKind.GPF;
import static hmmtest.console.CrashKind.HUNG_TASK;
import static hmmtest.console.CrashKind.KASAN;
import static hmmtest.console.CrashKind.KERNEL_BUG;
import static hmmtest.console.CrashKind.LIST_CORRUPTION;
import static hmmtest.console.CrashKind.LOCKDEP;
import static hmmtest.console.CrashKind.NULL_DEREF;
import static hmmtest.console.CrashKind.OOPS;
import static hmmtest.console.CrashKind.PAGE_FAULT;
import static hmmtest.console.CrashKind.PANIC;
import static hmmtest.console.CrashKind.RCU_STALL;
import static hmmtest.console.CrashKind.SCHED_WHILE_ATOMIC;
import static hmmtest.console.CrashKind.SLEEP_IN_ATOMIC;
import static hmmtest.console.CrashKind.SOFT_LOCKUP;
import static hmmtest.console.CrashKind.WARNING;
import static hmmtest.console.OopsFormat.format;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the parser knows about Linux crash reports, as data (after syzkaller's pkg/report): each
 * entry is gated by a header literal, may suppress known-benign lines, and lists its formats in
 * the order they are tried. Adding a kind is adding a row here and a corpus file.
 */
final class OopsTable {

    /** An oops family: lines containing {@code header} are checked against its formats. */
    record Oops(String header, List<Suppression> suppressions, List<OopsFormat> formats) {}

    /** A header line that matched a format; groups are the title regex's capture groups. */
    record Match(OopsFormat format, List<String> groups) {}

    private static final String FUNC = "([A-Za-z0-9_.]+)\\+0x[0-9a-f]+/0x[0-9a-f]+";

    /** Frames that report how a bug was noticed, never where it is. Full-match on the name. */
    static final List<Pattern> GENERIC_SKIP = compile(
            // Report printing.
            "dump_stack.*", "show_stack", "show_regs", "__show_regs", "show_trace_log_lvl",
            "_?printk", "vprintk.*", "print_report", "print_address_description.*", "print_.*_bug",
            // Trap, fault and die paths between the faulting instruction and the report.
            "__warn", "__warn_printk", "warn_slowpath.*", "report_bug", "handle_bug", "fixup_bug",
            "do_trap", "do_error_trap", "exc_.*", "asm_exc_.*", ".*_handler",
            "die", "__die", "__die_body", "die_addr", "oops_.*", "page_fault_oops", "do_user_addr_fault",
            "kernelmode_fixup_or_oops", "handle_page_fault", "bad_area.*", "__bad_area.*",
            "panic", "__panic", "vpanic", "nmi_panic", "check_panic_on_warn",
            // Sanitizer runtimes.
            "kasan_.*", "__kasan_.*", "__asan_.*", "check_memory_region.*", "kmsan_.*", "__msan_.*",
            "ubsan_.*", "__ubsan_.*",
            // kernel/locking helpers: the lock is rarely the bug, its caller is.
            "lock_acquire.*", "__lock_acquire.*", "lock_release", "lock_acquired", "lock_contended",
            "lockdep_.*", "check_noncircular", "check_prev_adds?", "validate_chain", "check_deadlock",
            "_raw_(spin|read|write)_.*", "do_raw_spin_.*", "native_queued_spin_lock_slowpath",
            "queued_(spin|read|write)_lock_slowpath", "__pv_queued_spin_lock_slowpath",
            "mutex_lock.*", "__mutex_lock.*", "mutex_unlock", "down_(read|write).*", "up_(read|write)",
            "rwsem_.*", "__might_sleep", "__might_resched", "__might_fault", "might_fault", "__cant_sleep",
            // lib/ helpers that check or copy on behalf of their caller.
            "__list_add_valid.*", "__list_del_entry_valid.*", "__list_add", "__list_del.*",
            "list_(add|del).*", "__?mem(cpy|set|move|cmp|chr)(_.*)?", "str(n?len|n?cpy|lcpy|scpy|n?cmp|chr)",
            "_*copy_(to|from)_user.*", "copy_user_.*", "rep_movs_alternative", "rep_stos_alternative",
            "raw_copy_.*", "__(get|put)_user_.*", "strncpy_from_user", "refcount_warn_saturate");

    /** Interrupt-time frames that show how a stall was detected. */
    private static final String[] STALL_SKIP = {
        "rcu_.*", "watchdog.*", ".*hrtimer.*", "tick_.*", "update_process_times", "(sched|scheduler)_tick",
        "nmi_cpu_backtrace.*", "nmi_trigger_cpumask_backtrace", "arch_trigger_cpumask_backtrace",
        "print_cpu_stall.*", "check_cpu_stall", "irq_exit.*", "__irq_exit_rcu", "__?sysvec_.*",
        "asm_sysvec_.*", "handle_softirqs", "__do_softirq", "cpu_relax", "native_safe_halt",
        "default_idle.*", "arch_cpu_idle", "do_idle", "cpu_startup_entry"};

    /** A blocked task always sits in the scheduler or a lock; the waiter above them is the story. */
    private static final String[] HANG_SKIP = {
        "__schedule", "schedule", "schedule_.*", "io_schedule.*", "preempt_schedule.*", "__switch_to.*",
        "context_switch", "rwsem_down_.*", "__down.*", "down", "wait_for_completion.*", "__wait_for_common",
        "do_wait_for_common"};

    private static final String[] LOCK_SKIP = {"lock_sock.*", "release_sock"};

    static final List<Oops> LINUX = List.of(
            new Oops("BUG:", List.of(
                    Suppression.of("ODEBUG:", "debugobjects prints its own WARNING, which is reported instead"),
                    Suppression.of("(?<!O)DEBUG:", "user-space debug logs contain the substring BUG:")),
                List.of(
                    format(KASAN, "BUG: KASAN: ([a-z0-9-]+) in ([A-Za-z0-9_.]+)", "KASAN: {1} {3} in {frame}")
                            .detail("(Read|Write) of size \\d+", "KASAN: {1} in {frame}")
                            .stack(StackRule.groupThenTrace(2))
                            .end(EndRule.SEPARATOR),
                    format(KASAN, "BUG: KASAN: (.*)", "KASAN: {1}")
                            .end(EndRule.SEPARATOR)
                            .corrupted("KASAN header without the function it names"),
                    format(NULL_DEREF, "BUG: (?:unable to handle )?kernel NULL pointer dereference",
                            "BUG: kernel NULL pointer dereference in {frame}")
                            .alt("BUG: unable to handle kernel NULL pointer dereference in {frame}")
                            .stack(StackRule.ripThenTrace()).asFatal(),
                    format(PAGE_FAULT, "BUG: unable to handle (?:page fault for address|kernel paging request)",
                            "BUG: unable to handle page fault in {frame}")
                            .alt("BUG: unable to handle kernel paging request in {frame}")
                            .stack(StackRule.ripThenTrace()).asFatal(),
                    format(PAGE_FAULT, "BUG: unable to handle kernel", "BUG: unable to handle kernel")
                            .asFatal().corrupted("the fault description was split or lost"),
                    format(SOFT_LOCKUP, "BUG: soft lockup", "BUG: soft lockup in {frame}")
                            .stack(StackRule.ripThenTrace(STALL_SKIP).forStall())
                            .end(EndRule.STACK_END),
                    format(SLEEP_IN_ATOMIC, "BUG: sleeping function called from invalid context",
                            "BUG: sleeping function called from invalid context in {frame}")
                            .stack(StackRule.traceOnly("might_sleep", "might_resched", "__kmalloc.*", "kmalloc.*",
                                    "kmem_cache_alloc.*", "slab_pre_alloc_hook.*", "__alloc_pages.*",
                                    "alloc_pages.*", "folio_alloc.*"))
                            .end(EndRule.STACK_END),
                    format(SCHED_WHILE_ATOMIC, "BUG: scheduling while atomic",
                            "BUG: scheduling while atomic in {frame}")
                            .stack(StackRule.traceOnly("__schedule_bug", "schedule_debug", "__schedule", "schedule",
                                    "schedule_.*", "msleep", "usleep_range.*", "__cond_resched", "_?cond_resched"))
                            .end(EndRule.STACK_END),
                    format(BAD_PAGE, "BUG: Bad page (state|map)", "BUG: Bad page {1}")
                            .stack(StackRule.traceOnly("bad_page", "free_page_is_bad.*", "free_pages_prepare",
                                    "free_unref_.*", "__free_pages.*", "free_pages", "__?free_frozen_pages",
                                    "__folio_put", "folio_put", "free_.*folios?", "release_pages", "print_bad_pte",
                                    "vm_normal_page")
                                    .optional())
                            .end(EndRule.STACK_END),
                    format(BAD_PAGE, "BUG: Bad rss-counter state", "BUG: Bad rss-counter state")
                            .end(EndRule.HEADER_ONLY),
                    format(OOPS, "BUG:\\s*$", "BUG: corrupted").corrupted("BUG: header without a description"))),

            new Oops("WARNING:", List.of(
                    Suppression.of("^WARNING: (?:A restricted method|A terminally deprecated method|"
                                    + "java\\.lang\\.System::load|Use --enable-native-access|Restricted methods will be"
                                    + "|sun\\.misc\\.Unsafe|Please consider reporting)",
                            "JVM warnings from the guest's Java (JNA native access, Unsafe) share the console"),
                    Suppression.of("Spectre V2 : WARNING:", "boot-time mitigation notice, not a WARN_ON"),
                    Suppression.of("WARNING: workqueue cpumask: online intersect > possible intersect",
                            "benign boot-time workqueue notice")),
                List.of(
                    format(LOCKDEP, "WARNING: possible (?:circular locking dependency|recursive locking|"
                                    + "irq lock inversion dependency) detected",
                            "possible deadlock in {frame}")
                            .detail(", at: ([A-Za-z0-9_.]+)\\+0x", null)
                            .stack(StackRule.groupThenTrace(1, LOCK_SKIP))
                            .end(EndRule.STACK_END),
                    format(LOCKDEP, "WARNING: inconsistent lock state", "inconsistent lock state in {frame}")
                            .detail(", at: ([A-Za-z0-9_.]+)\\+0x", null)
                            .stack(StackRule.groupThenTrace(1, LOCK_SKIP))
                            .end(EndRule.STACK_END),
                    format(LIST_CORRUPTION, "WARNING: .*lib/list_debug\\.c", "BUG: corrupted list in {frame}")
                            .stack(StackRule.ripThenTrace()).asInner(),
                    format(WARNING, "WARNING: .*lib/refcount\\.c", "WARNING: refcount bug in {frame}")
                            .stack(StackRule.ripThenTrace("refcount.*")),
                    // Before v6.19: "WARNING: CPU: 0 PID: 93 at lib/test_hmm.c:123 func+0x1a/0x50 [test_hmm]".
                    format(WARNING, "WARNING: CPU: \\d+ PID: \\d+ at (?:(\\S+):\\d+ )?" + FUNC, "WARNING in {frame}")
                            .stack(StackRule.groupThenTrace(2)),
                    // Since v6.19: "WARNING: lib/test_hmm.c:123 at func+0x1a/0x50 [test_hmm], CPU#0: java/93".
                    format(WARNING, "WARNING: (?:(\\S+):\\d+ )?at " + FUNC + ".*, CPU#\\d+: ", "WARNING in {frame}")
                            .stack(StackRule.groupThenTrace(2)),
                    format(WARNING, "WARNING:\\s*$", "WARNING: corrupted")
                            .corrupted("WARNING: header without a location"))),

            new Oops("INFO:", List.of(
                    Suppression.of("INFO: lockdep is turned off", "lockdep status note inside other reports"),
                    Suppression.of("INFO: NMI handler .* took too long", "perf NMI latency note, not a bug"),
                    Suppression.of("INFO: Stall ended before state dump start",
                            "the RCU stall resolved itself before anything was printed")),
                List.of(
                    format(RCU_STALL, "INFO: rcu_(?:preempt|sched|bh) (?:self-)?detected(?: expedited)? stall",
                            "INFO: rcu detected stall in {frame}")
                            .stack(StackRule.ripThenTrace(STALL_SKIP).forStall())
                            .end(EndRule.STACK_END),
                    format(HUNG_TASK, "INFO: task (.+):(\\d+) blocked for more than \\d+ seconds",
                            "INFO: task hung in {frame}")
                            .stack(StackRule.traceOnly(HANG_SKIP))
                            .end(EndRule.STACK_END),
                    format(OOPS, "INFO:\\s*$", "INFO: corrupted").corrupted("INFO: header without a description"))),

            // Before the Oops entry: since v6.10 this line reads "Oops: general protection fault, ...".
            new Oops("general protection fault", List.of(), List.of(
                    format(GPF, "general protection fault", "general protection fault in {frame}")
                            .stack(StackRule.ripThenTrace()).asFatal())),

            new Oops("kernel BUG at", List.of(), List.of(
                    format(LIST_CORRUPTION, "kernel BUG at lib/list_debug\\.c", "BUG: corrupted list in {frame}")
                            .stack(StackRule.ripThenTrace()).asFatal().asInner(),
                    format(KERNEL_BUG, "kernel BUG at (\\S+?):\\d+", "kernel BUG in {frame}")
                            .alt("kernel BUG in {1}")
                            .stack(StackRule.ripThenTrace()).asFatal())),

            // lib/list_debug.c prints this before its BUG() or inside its WARN().
            new Oops("list_", List.of(), List.of(
                    format(LIST_CORRUPTION, "list_(?:add|del) corruption|list_add double add",
                            "BUG: corrupted list in {frame}")
                            .stack(StackRule.ripThenTrace()))),

            // After an oops or a warning this is the machine going down, not a new bug.
            new Oops("Kernel panic - not syncing", List.of(), List.of(
                    format(PANIC, "Kernel panic - not syncing: Fatal exception", "kernel panic: Fatal exception")
                            .asFatal().asInner().corrupted("the oops that caused the panic is missing"),
                    format(PANIC, "Kernel panic - not syncing: (?:\\w+: )?panic_on_warn set",
                            "kernel panic: panic_on_warn set")
                            .asFatal().asInner().corrupted("the warning that caused the panic is missing"),
                    format(PANIC, "Kernel panic - not syncing: (hung_task: blocked tasks|softlockup: hung tasks)",
                            "kernel panic: {1}")
                            .asFatal().asInner().corrupted("the report that caused the panic is missing"),
                    format(PANIC, "Kernel panic - not syncing: Attempted to kill init!",
                            "kernel panic: Attempted to kill init!")
                            .asFatal().asInner(),
                    format(PANIC, "Kernel panic - not syncing: (.*)", "kernel panic: {1}")
                            .stack(StackRule.traceOnly().optional()).asFatal().asInner())),

            new Oops("Oops", List.of(), List.of(
                    format(OOPS, "Oops: (?:Oops: )?invalid opcode", "invalid opcode in {frame}")
                            .stack(StackRule.ripThenTrace()).asFatal().asInner(),
                    format(OOPS, "\\bOops: ", "Oops in {frame}")
                            .stack(StackRule.ripThenTrace()).asFatal().asInner())),

            // Kernels before v6.10 print the die() line without the "Oops: " prefix.
            new Oops("invalid opcode:", List.of(), List.of(
                    format(OOPS, "^invalid opcode: ", "invalid opcode in {frame}")
                            .stack(StackRule.ripThenTrace()).asFatal().asInner())));

    private OopsTable() {}

    /** The format a console line starts, or null when the line is not a report header. */
    static Match match(String text) {
        for (Oops oops : LINUX) {
            if (!text.contains(oops.header()) || suppressed(oops, text)) {
                continue;
            }
            for (OopsFormat format : oops.formats()) {
                Matcher m = format.title().matcher(text);
                if (m.find()) {
                    return new Match(format, groups(m));
                }
            }
        }
        return null;
    }

    private static boolean suppressed(Oops oops, String text) {
        return oops.suppressions().stream().anyMatch(s -> s.pattern().matcher(text).find());
    }

    static List<String> groups(Matcher m) {
        List<String> groups = new ArrayList<>();
        for (int i = 1; i <= m.groupCount(); i++) {
            groups.add(m.group(i));
        }
        return groups;
    }

    private static List<Pattern> compile(String... regexes) {
        return List.of(regexes).stream().map(Pattern::compile).toList();
    }
}
