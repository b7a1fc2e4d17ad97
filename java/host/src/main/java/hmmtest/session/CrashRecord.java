package hmmtest.session;

import hmmtest.console.CrashReport;
import java.util.List;

/**
 * A kernel crash or hang as the results carry it: which test it is pinned on (null when it
 * happened between tests), in which VM, its title, and the console lines that show it.
 */
public record CrashRecord(String test, int vm, String kind, String title, List<String> altTitles, boolean fatal,
        boolean corrupted, String taint, String callerId, List<String> excerpt, List<String> taskDump,
        double secondsIntoVm) {

    static CrashRecord of(CrashReport r, String test, int vm, List<String> dump, double seconds) {
        return new CrashRecord(test, vm, r.kind().name(), r.title(), r.altTitles(), r.fatal(), r.corrupted(),
                r.taint().orElse(""), r.callerId().orElse(""), r.excerpt(), dump, seconds);
    }

    static CrashRecord hang(String test, int vm, String title, List<String> dump, double seconds) {
        return new CrashRecord(test, vm, "HANG", title, List.of(), true, false, "", "", List.of(), dump, seconds);
    }
}
