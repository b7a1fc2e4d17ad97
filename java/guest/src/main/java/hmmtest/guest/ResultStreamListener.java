package hmmtest.guest;

import hmmtest.protocol.ResultRecord;
import hmmtest.protocol.ResultRecord.Kind;
import java.util.HashMap;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Streams a "start" record before each test and an "end" record after it. Only tests (not
 * containers) are reported; a failing container (e.g. a class-level setup) fails its tests.
 */
final class ResultStreamListener implements TestExecutionListener {
    private final ResultChannel channel;
    private final KmsgMarkers markers;
    private final Map<String, Long> started = new HashMap<>();
    private TestPlan plan;
    private int failed;
    private int passed;

    ResultStreamListener(ResultChannel channel) {
        this(channel, KmsgMarkers.open());
    }

    ResultStreamListener(ResultChannel channel, KmsgMarkers markers) {
        this.channel = channel;
        this.markers = markers;
    }

    int failed() {
        return failed;
    }

    int passed() {
        return passed;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        this.plan = testPlan;
    }

    /** "hmm.hmm_device_private.anon_read": the class's display name plus the method name. */
    static String testId(TestPlan plan, TestIdentifier id) {
        return testId(plan.getParent(id).map(TestIdentifier::getDisplayName).orElse(""), id.getSource(),
                id.getDisplayName());
    }

    /** The same id from a descriptor, for filtering during discovery. */
    static String testId(org.junit.platform.engine.TestDescriptor d) {
        return testId(d.getParent().map(org.junit.platform.engine.TestDescriptor::getDisplayName).orElse(""),
                d.getSource(), d.getDisplayName());
    }

    private static String testId(String parent, java.util.Optional<org.junit.platform.engine.TestSource> source,
            String displayName) {
        String method = source.filter(MethodSource.class::isInstance)
                .map(s -> ((MethodSource) s).getMethodName())
                .orElse(displayName);
        return parent.isEmpty() ? method : parent + "." + method;
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        if (id.isTest()) {
            started.put(id.getUniqueId(), System.nanoTime());
            String test = testId(plan, id);
            channel.send(ResultRecord.of(Kind.START, test));
            markers.start(test);
        }
    }

    /** A test's TestReporter entries: what it observed, e.g. the errno a kernel version answers. */
    @Override
    public void reportingEntryPublished(TestIdentifier id, org.junit.platform.engine.reporting.ReportEntry entry) {
        if (id.isTest()) {
            entry.getKeyValuePairs().forEach((k, v) -> channel.send(ResultRecord.of(Kind.NOTE, testId(plan, id), k, v)));
        }
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        if (ContinueFrom.skipped(id.getUniqueId())) {
            return; // reported by the VM it ran in
        }
        if (id.isTest()) {
            end(testId(plan, id), "SKIP", 0, reason == null ? "" : reason);
        } else {
            plan.getDescendants(id).stream().filter(TestIdentifier::isTest).forEach(t ->
                    end(testId(plan, t), "SKIP", 0, reason == null ? "" : reason));
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (!id.isTest()) {
            if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                // A container failed before its tests ran: report each test that never started.
                plan.getDescendants(id).stream().filter(TestIdentifier::isTest)
                        .filter(t -> !started.containsKey(t.getUniqueId()))
                        .forEach(t -> {
                            failed++;
                            end(testId(plan, t), "ERROR", 0, "container failed: " + describe(result));
                        });
            }
            return;
        }
        long ms = (System.nanoTime() - started.getOrDefault(id.getUniqueId(), System.nanoTime())) / 1_000_000;
        String status = switch (result.getStatus()) {
            case SUCCESSFUL -> "PASS";
            case ABORTED -> "SKIP";
            case FAILED -> result.getThrowable().filter(AssertionError.class::isInstance).isPresent() ? "FAIL" : "ERROR";
        };
        if (status.equals("PASS")) {
            passed++;
        } else if (!status.equals("SKIP")) {
            failed++;
        }
        end(testId(plan, id), status, ms, describe(result));
    }

    /**
     * A test's verdict, on both channels: the record for the host, and the end marker on the console,
     * which is all a reader of the console alone (a LAVA job's monitors) sees of it.
     */
    private void end(String test, String status, long ms, String message) {
        markers.end(test, status);
        channel.send(ResultRecord.of(Kind.END, test, status, Long.toString(ms), message));
    }

    /** The throwable's message and the first frame of test code: enough to find the line. */
    static String describe(TestExecutionResult result) {
        return result.getThrowable().map(t -> {
            String where = "";
            for (StackTraceElement e : t.getStackTrace()) {
                if (e.getClassName().startsWith("hmmtest.")) {
                    where = " at " + e.getClassName().replaceFirst(".*\\.", "") + "." + e.getMethodName()
                            + "(" + e.getFileName() + ":" + e.getLineNumber() + ")";
                    break;
                }
            }
            String msg = t instanceof AssertionError || t.getClass().getName().startsWith("org.opentest4j")
                    ? String.valueOf(t.getMessage()) : t.toString();
            return msg + where;
        }).orElse("");
    }
}
