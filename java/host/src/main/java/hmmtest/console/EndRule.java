package hmmtest.console;

/**
 * Which line closes a report's body. Once closed, a short trailer (the register re-dump, the
 * {@code Kernel panic} that {@code panic_on_oops} adds, {@code Kernel Offset:}) still belongs to
 * the report; see {@link ConsoleMonitor} for the full completion rule.
 */
enum EndRule {
    /** {@code ---[ end trace ... ]---} or {@code ---[ end Kernel panic ... ]---}. */
    END_MARKER,
    /** The first {@code </TASK>} outside an interrupt section: reports that only dump a stack. */
    STACK_END,
    /** A line of {@code =} characters: KASAN frames its report with these. */
    SEPARATOR,
    /** The header line is the whole report. */
    HEADER_ONLY
}
