/**
 * Finds Linux kernel crashes in console output and titles them the way syzkaller's pkg/report does.
 *
 * <p>Live: feed a {@link hmmtest.console.ConsoleMonitor} each console line (or raw chunks) and
 * listen for {@link hmmtest.console.CrashListener#crashStarted} and
 * {@link hmmtest.console.CrashListener#crashCompleted}; call {@code flush()} when the console has been
 * quiet long enough or has ended. Whole logs: {@link hmmtest.console.ConsoleParser#parse}.
 *
 * <p>What the parser knows about report formats lives in one table, {@code OopsTable}; the golden
 * corpus in {@code src/test/resources/console} pins its behaviour.
 */
package hmmtest.console;
