package hmmtest.session;

import java.util.ArrayList;
import java.util.List;

/**
 * Which test a kernel report is pinned on, decided from the console alone: the guest writes a
 * marker into the kernel log when a test starts and ends, so markers and the kernel's own reports
 * reach the console in one total order. Fed the events of one VM in console order (from the
 * console thread) and asked from the session's thread; holds no VM and no clock, so unit tests
 * replay consoles through it.
 *
 * <p>A report opens when its first line is seen and is confirmed when it completes, unless it
 * turns out to be a reviewed known issue (a hung task, say, is titled from its stack only once
 * the stack is complete): then it is as if it never began.
 */
final class CrashAttribution {
    private final List<String> startedOnConsole = new ArrayList<>();
    private String consoleTest;
    private boolean open;
    private boolean confirmed;
    private String victim;
    private int startedBeforeReport = -1;

    /** A test marker from the console: "start ID" or "end ID". */
    synchronized void marker(boolean start, String test) {
        if (start) {
            consoleTest = test;
            startedOnConsole.add(test);
        } else {
            consoleTest = null;
        }
    }

    /** The first line of a kernel report that is not already known to be a reviewed issue. */
    synchronized void reportStarted() {
        if (!open && !confirmed) {
            victim = consoleTest; // the test whose start marker came last before the report
            startedBeforeReport = startedOnConsole.size();
        }
        open = true;
    }

    /** The report is complete: a crash, or (known) a reviewed issue that changes nothing. */
    synchronized void reportCompleted(boolean known) {
        if (!known) {
            confirmed = true;
        } else if (!confirmed) {
            open = false;
            victim = null;
            startedBeforeReport = -1;
        }
    }

    /** A report began and was not found to be a known issue: the kernel is not to be trusted from here. */
    synchronized boolean inReport() {
        return open || confirmed;
    }

    /** The test to pin the VM's end on: by console order once a report began, else the one in flight. */
    synchronized String victim(String inFlight) {
        if (inReport()) {
            return victim;
        }
        return inFlight != null ? inFlight : consoleTest;
    }

    /** The test running as the console last saw it, or null between tests. */
    synchronized String consoleTest() {
        return consoleTest;
    }

    /** Tests that started after the report began: they ran on a broken kernel and run again in the next VM. */
    synchronized List<String> startedAfterReport() {
        if (!inReport() || startedBeforeReport < 0) {
            return List.of();
        }
        return List.copyOf(startedOnConsole.subList(startedBeforeReport, startedOnConsole.size()));
    }
}
