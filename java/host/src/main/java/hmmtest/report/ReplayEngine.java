package hmmtest.report;

import hmmtest.results.TestOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.EngineDiscoveryRequest;
import org.junit.platform.engine.EngineExecutionListener;
import org.junit.platform.engine.ExecutionRequest;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestEngine;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.EngineDescriptor;
import org.junit.platform.launcher.LauncherConstants;

/**
 * A test engine that runs nothing: it replays one kernel run's recorded verdicts as a JUnit test
 * tree, so the JUnit Platform's own reporting (the legacy XML listener) writes the CI file. The
 * tree is engine (the run) / group ({@code hmm.hmm_device_private}) / test ({@code anon_read});
 * a group's legacy name carries the run's label so that CI keeps two kernels' tests apart.
 *
 * <p>FAIL and CRASHED replay as assertion errors, which the XML writes as {@code <failure>}: the
 * kernel did something wrong. ERROR and NOT_RUN replay as other exceptions, written as
 * {@code <error>}: the test could not be carried out. NOT_RUN is deliberately not
 * {@code <skipped>}, which CI counts as fine, when a test that should have run did not.
 */
final class ReplayEngine implements TestEngine {
    private final String id;
    private final String label;
    private final RunReport run;

    ReplayEngine(String id, String label, RunReport run) {
        this.id = id;
        this.label = label;
        this.run = run;
    }

    @Override
    public String getId() {
        return id;
    }

    /** Replayed verdicts need no discovery: the tree is the run, whatever was selected. */
    @Override
    public TestDescriptor discover(EngineDiscoveryRequest request, UniqueId uniqueId) {
        EngineDescriptor engine = new EngineDescriptor(uniqueId, "hmmtest " + label
                + (run.kernelRelease().isEmpty() ? "" : " (kernel " + run.kernelRelease() + ")"));
        Map<String, Node> groups = new LinkedHashMap<>();
        for (TestOutcome o : run.outcomes()) {
            int dot = o.id().lastIndexOf('.');
            String group = dot < 0 ? "tests" : o.id().substring(0, dot);
            add(engine, groups, group, o.id().substring(dot + 1), Replay.of(o, run));
        }
        // Facts no single test carries, as tests of their own, so CI does not miss them.
        int n = 0;
        for (RunReport.Crash c : run.crashes()) {
            if (c.test() == null) {
                add(engine, groups, "session", "crash_between_tests_" + (++n), Replay.crash(c.title(), c, run));
            }
        }
        if (run.incomplete() != null) {
            add(engine, groups, "session", "complete", Replay.error(new Incomplete(run.incomplete())));
        }
        return engine;
    }

    private void add(EngineDescriptor engine, Map<String, Node> groups, String group, String name, Replay replay) {
        Node g = groups.computeIfAbsent(group, k -> {
            Node node = new Node(engine.getUniqueId().append("group", k), k, label + "." + k, null);
            engine.addChild(node);
            return node;
        });
        g.addChild(new Node(g.getUniqueId().append("test", name), name, name, replay));
    }

    @Override
    public void execute(ExecutionRequest request) {
        EngineExecutionListener listener = request.getEngineExecutionListener();
        TestDescriptor engine = request.getRootTestDescriptor();
        listener.executionStarted(engine);
        for (TestDescriptor group : engine.getChildren()) {
            listener.executionStarted(group);
            for (TestDescriptor test : group.getChildren()) {
                Replay r = ((Node) test).replay;
                if (r.skipReason != null) {
                    listener.executionSkipped(test, r.skipReason);
                    continue;
                }
                listener.executionStarted(test);
                if (!r.output.isBlank()) {
                    // The "stdout" key is what the XML writer puts verbatim into <system-out>.
                    listener.reportingEntryPublished(test, ReportEntry.from(LauncherConstants.STDOUT_REPORT_ENTRY_KEY,
                            r.output));
                }
                listener.executionFinished(test, r.result);
            }
            listener.executionFinished(group, TestExecutionResult.successful());
        }
        listener.executionFinished(engine, TestExecutionResult.successful());
    }

    /** How one test is replayed: a result (or a skip reason) and what goes to its system-out. */
    private record Replay(TestExecutionResult result, String skipReason, String output) {
        static Replay of(TestOutcome o, RunReport run) {
            String msg = o.message();
            return switch (o.status()) {
                case PASS -> new Replay(TestExecutionResult.successful(), null, "");
                case SKIP -> new Replay(null, msg.isBlank() ? "skipped" : msg, "");
                case FAIL -> new Replay(TestExecutionResult.failed(new TestFailure(msg)), null, "");
                case ERROR -> error(new TestError(msg));
                case NOT_RUN -> error(new NotRun(msg));
                case CRASHED -> {
                    List<RunReport.Crash> crashes = run.crashesOf(o.id());
                    yield crashes.isEmpty() ? new Replay(TestExecutionResult.failed(new KernelCrash(msg, msg)), null, "")
                            : crash(crashes.get(0).title(), crashes.get(0), run);
                }
            };
        }

        static Replay error(Throwable t) {
            return new Replay(TestExecutionResult.failed(t), null, "");
        }

        static Replay crash(String title, RunReport.Crash c, RunReport run) {
            StringBuilder detail = new StringBuilder(title).append('\n');
            c.excerpt().forEach(l -> detail.append(l).append('\n'));
            List<String> out = new ArrayList<>();
            out.add(String.format(java.util.Locale.ROOT, "kernel %s in VM %d, %.1f s after it started%s",
                    c.kind().isEmpty() ? "crash" : c.kind(), c.vm(), c.secondsIntoVm(),
                    c.taint().isEmpty() ? "" : ", taint " + c.taint()));
            out.add("console: " + run.dir().resolve("vm-" + c.vm()).resolve("console.log"));
            if (!c.taskDump().isEmpty()) {
                out.add("task dump:");
                out.addAll(c.taskDump());
            }
            return new Replay(TestExecutionResult.failed(new KernelCrash(title, detail.toString().strip())), null,
                    String.join("\n", out));
        }
    }

    private static final class Node extends AbstractTestDescriptor {
        private final String legacyName;
        private final Replay replay;

        Node(UniqueId id, String displayName, String legacyName, Replay replay) {
            super(id, displayName);
            this.legacyName = legacyName;
            this.replay = replay;
        }

        @Override
        public Type getType() {
            return replay == null ? Type.CONTAINER : Type.TEST;
        }

        @Override
        public String getLegacyReportingName() {
            return legacyName;
        }
    }

    /*
     * Recorded verdicts as throwables. The XML writer prints toString() (and the stack, so they
     * have none: it would be this replay's, not the test's) as the element's text.
     */

    /** The test's assertion failed: {@code <failure>}. */
    static final class TestFailure extends AssertionError {
        TestFailure(String message) {
            super(message);
            setStackTrace(new StackTraceElement[0]);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }

    /** The kernel crashed or hung during the test: {@code <failure>} with the title and excerpt. */
    static final class KernelCrash extends AssertionError {
        private final String detail;

        KernelCrash(String title, String detail) {
            super(title);
            this.detail = detail;
            setStackTrace(new StackTraceElement[0]);
        }

        @Override
        public String toString() {
            return detail;
        }
    }

    /** The test threw something other than an assertion: {@code <error>}. */
    static final class TestError extends RuntimeException {
        TestError(String message) {
            super(message, null, false, false);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }

    /** The test never ran (the session was cut short): {@code <error>} with the reason. */
    static final class NotRun extends RuntimeException {
        NotRun(String reason) {
            super(reason, null, false, false);
        }

        @Override
        public String toString() {
            return "not run: " + getMessage();
        }
    }

    /** The session could not finish everything it planned: {@code <error>} on the session's own test. */
    static final class Incomplete extends RuntimeException {
        Incomplete(String reason) {
            super(reason, null, false, false);
        }

        @Override
        public String toString() {
            return "incomplete: " + getMessage();
        }
    }
}
