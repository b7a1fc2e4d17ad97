package hmmtest.pipeline;

import hmmtest.infra.Progress;
import hmmtest.infra.Project;
import hmmtest.plan.Shard;
import hmmtest.plan.ShardSplit;
import hmmtest.plan.TestDurations;
import hmmtest.plan.WorkQueue;
import hmmtest.protocol.TestSelection;
import hmmtest.session.ParallelSession;
import hmmtest.session.RunSettings;
import hmmtest.session.SessionResults;
import hmmtest.session.SuiteSession;
import java.util.List;

/**
 * How a run spreads its selection: this machine's shard of it (SHARD=i/n), over how many VMs at
 * once (JOBS=N). Decided from the guest jar's test catalog before anything is built, so a shard
 * with no tests is refused at once.
 */
public final class Distribution {
    private final int jobs;
    /** The tests this machine runs, in plan order; null: the guest plans the selection itself (one job, no shard). */
    private final List<String> plan;
    private final TestDurations durations;
    private final Shard.Assignment assignment;

    private Distribution(int jobs, List<String> plan, TestDurations durations, Shard.Assignment assignment) {
        this.jobs = jobs;
        this.plan = plan;
        this.durations = durations;
        this.assignment = assignment;
    }

    public static Distribution of(RunSettings s) {
        if (s.jobs() <= 1 && s.shard() == null) {
            return new Distribution(1, null, TestDurations.none(), null);
        }
        List<String> catalog = TestSelection.catalog(Project.guestJars().resolve("hmmtest-guest.jar"));
        List<String> whole = TestSelection.plan(catalog, TestSelection.globs(s.select()), List.of());
        TestDurations durations = TestDurations.read(Project.root().resolve(TestDurations.FILE));
        if (s.shard() == null) {
            return new Distribution(s.jobs(), whole, durations, null);
        }
        List<String> mine = ShardSplit.of(whole, durations, s.shard());
        if (mine.isEmpty()) {
            throw new IllegalArgumentException("--shard " + s.shard() + ": the selection has only " + whole.size()
                    + " test" + (whole.size() == 1 ? "" : "s") + ", too few for " + s.shard().count() + " shards");
        }
        Progress.info("shard", "shard " + s.shard() + ": " + mine.size() + " of the selection's " + whole.size()
                + " tests" + (durations.isEmpty() ? " (no recorded durations: split by count)" : ", balanced by "
                        + TestDurations.FILE));
        return new Distribution(s.jobs(), mine, durations,
                new Shard.Assignment(s.shard().index(), s.shard().count(), s.select(), whole, mine));
    }

    /** Runs the session: one VM at a time, or {@code jobs} VMs pulling from one queue. */
    public SessionResults run(SuiteSession.Config config) {
        if (plan == null) {
            return new SuiteSession(config).run();
        }
        SuiteSession.Config mine = new SuiteSession.Config(config.machine(), TestSelection.exactly(plan),
                config.timeouts(), config.dir(), config.verbose(), config.known(), config.vms(), config.dumpGrace());
        if (jobs <= 1) {
            return new SuiteSession(mine).run();
        }
        Progress.info("jobs", jobs + " VMs at once pull " + plan.size() + " tests from one queue");
        return new ParallelSession(config, plan, new WorkQueue(plan, durations, jobs), jobs).run();
    }

    /** Results.json's "shard", or null when this run is not a shard. */
    public Shard.Assignment assignment() {
        return assignment;
    }
}
