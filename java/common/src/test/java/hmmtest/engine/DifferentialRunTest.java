package hmmtest.engine;

import hmmtest.repro.Reproducers;

import static org.assertj.core.api.Assertions.assertThat;

import hmmtest.uapi.AbiVersion;
import hmmtest.model.Action;
import hmmtest.uapi.Command;
import hmmtest.uapi.Errno;
import hmmtest.model.Layout;
import hmmtest.model.ModelOptions;
import hmmtest.model.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class DifferentialRunTest {

    /** A clock that advances 1 ms per reading: runs are deterministic, time budgets still work. */
    static LongSupplier tickingClock() {
        long[] t = {0};
        return () -> t[0] += 1_000_000L;
    }

    static RecordingSink run(long seed, AbiVersion abi, long actions, FuzzConfig cfg, FakeExecutor.Bug bug) {
        FakeExecutor ex = new FakeExecutor(abi, bug);
        RecordingSink sink = new RecordingSink();
        ex.recording = sink;
        new DifferentialRun(ex, ModelOptions.defaults(), Layout.defaultLayout(), tickingClock())
                .run(seed, abi, Budget.actions(actions), cfg, sink);
        return sink;
    }

    /** mprotect fails with EFAULT once an EXCLUSIVE ioctl succeeded in the same sequence. */
    static final FakeExecutor.Bug MPROTECT_AFTER_EXCLUSIVE = (history, a, nominal) -> {
        if (a instanceof Action.Mprotect && nominal.success() && history.stream().anyMatch(h ->
                h instanceof Action.Ioctl i && i.cmd() == Command.EXCLUSIVE.nr())) {
            return Outcome.error(Errno.EFAULT);
        }
        return nominal;
    };

    /** READ reports one fault round more than the model whenever it faults at all. */
    static final FakeExecutor.Bug EXTRA_FAULT = (history, a, o) -> {
        if (a instanceof Action.Ioctl i && i.cmd() == Command.READ.nr() && o.success() && o.faults() > 0) {
            return new Outcome(0, o.cpages(), o.faults() + 1, o.data(), o.snapshot());
        }
        return o;
    };

    @Test
    void aFaithfulExecutorNeverDiverges() {
        for (AbiVersion abi : AbiVersion.values()) {
            RecordingSink s = run(7, abi, 1500, FuzzConfig.defaults(), FakeExecutor.NONE);
            assertThat(s.divergences).isEmpty();
            assertThat(s.stats.actions()).isEqualTo(1500);
            assertThat(s.stats.stopReason()).isEqualTo("action budget spent");
            // 300-action sequences: 5 of them
            assertThat(s.stats.sequences()).isEqualTo(5);
        }
    }

    /**
     * A model that had to drop alternative states must not judge the kernel: the sequence ends
     * there (a "divergence" after it could be a dropped state's). One state at most forces it.
     */
    @Test
    void aSequenceEndsWhenTheModelDropsStates() {
        ModelOptions one = new ModelOptions(ModelOptions.defaults().guestRamPages(), false, false, 1);
        for (AbiVersion abi : AbiVersion.values()) {
            FakeExecutor ex = new FakeExecutor(abi, FakeExecutor.NONE);
            RecordingSink sink = new RecordingSink();
            ex.recording = sink;
            new DifferentialRun(ex, one, Layout.defaultLayout(), tickingClock())
                    .run(7, abi, Budget.actions(3000), FuzzConfig.defaults(), sink);
            assertThat(sink.divergences).isEmpty();
            assertThat(sink.infos).anyMatch(i -> i.startsWith("ambiguous: sequence "));
            assertThat(sink.infos).anyMatch(i -> i.startsWith("ambiguous-ends: "));
            assertThat(sink.stats.sequences()).as("more than the 10 full-length ones").isGreaterThan(10);
        }
    }

    @Test
    void sameSeedGivesTheSameActionsAndVerdicts() {
        FuzzConfig cfg = FuzzConfig.defaults().withShrink(true, 40, Duration.ofHours(1)).withMaxDivergences(3);
        for (AbiVersion abi : AbiVersion.values()) {
            RecordingSink a = run(11, abi, 1200, cfg, EXTRA_FAULT);
            RecordingSink b = run(11, abi, 1200, cfg, EXTRA_FAULT);
            RecordingSink c = run(12, abi, 1200, cfg, EXTRA_FAULT);
            assertThat(a.divergences).isNotEmpty();
            assertThat(a.log).isEqualTo(b.log);
            assertThat(a.files).isEqualTo(b.files);
            assertThat(c.log).isNotEqualTo(a.log);
        }
    }

    @Test
    void aDivergenceIsReportedShrunkAndTurnedIntoReproducers() {
        FuzzConfig cfg = FuzzConfig.defaults().withShrink(true, 300, Duration.ofHours(1)).withMaxDivergences(1);
        RecordingSink s = run(3, AbiVersion.V7_3, 20_000, cfg, MPROTECT_AFTER_EXCLUSIVE);
        assertThat(s.divergences).hasSize(1);
        Sink.Divergence d = s.divergences.get(0);
        assertThat(d.signature()).isEqualTo("mprotect: errno=EFAULT");
        assertThat(d.actions()).last().isEqualTo(d.action());
        assertThat(d.diff()).contains("errno: expected OK, observed EFAULT");
        assertThat(s.stats.stopReason()).isEqualTo("divergence limit reached");

        String actions = s.files.get(d.id() + ".actions");
        List<Action> minimal = Reproducers.parseActions(actions);
        // an EXCLUSIVE ioctl needs an open fd and a mapping; then the mprotect
        assertThat(minimal).hasSizeLessThanOrEqualTo(4);
        assertThat(minimal.get(minimal.size() - 1)).isInstanceOf(Action.Mprotect.class);
        assertThat(minimal).anyMatch(a -> a instanceof Action.Ioctl i && i.cmd() == Command.EXCLUSIVE.nr());
        assertThat(minimal.size()).isLessThan(d.actions().size());
        assertThat(s.files.keySet()).containsExactlyInAnyOrder(d.id() + ".actions", d.id() + ".c", d.id() + ".rerun",
                Reproducers.javaClassName(subject(d.id()), minimal) + ".java");
        assertThat(s.stats.shrinkCandidates()).isGreaterThan(1);
        assertThat(s.infos).anyMatch(i -> i.startsWith("shrink: " + d.id() + ": " + d.actions().size() + " -> "
                + minimal.size() + " actions"));
    }

    static Reproducers.Subject subject(String id) {
        return new Reproducers.Subject(id, "t", AbiVersion.V7_3, ModelOptions.defaults(), Layout.DEFAULT_ARENA_BASE, "",
                3);
    }

    @Test
    void repeatedSignaturesAreReportedButShrunkOnce() {
        FuzzConfig cfg = FuzzConfig.defaults().withShrink(true, 30, Duration.ofHours(1)).withMaxDivergences(4);
        RecordingSink s = run(5, AbiVersion.V7_3, 50_000, cfg, EXTRA_FAULT);
        assertThat(s.divergences).hasSize(4);
        assertThat(s.divergences).allMatch(d -> d.signature().equals("ioctl READ: faults"));
        assertThat(s.stats.distinct()).isEqualTo(1);
        assertThat(s.files.keySet().stream().filter(n -> n.endsWith(".c"))).hasSize(1);
        assertThat(s.infos.stream().filter(i -> i.startsWith("divergence-repeat"))).hasSize(3);
    }

    @Test
    void withoutShrinkingTheReproducerIsTheWholeSequence() {
        FuzzConfig cfg = FuzzConfig.defaults().withShrink(false, 0, Duration.ZERO).withMaxDivergences(1);
        RecordingSink s = run(3, AbiVersion.V7_3, 20_000, cfg, MPROTECT_AFTER_EXCLUSIVE);
        Sink.Divergence d = s.divergences.get(0);
        assertThat(Reproducers.parseActions(s.files.get(d.id() + ".actions")).stream().map(Action::toText).toList())
                .isEqualTo(d.actions());
        assertThat(s.stats.shrinkCandidates()).isZero();
    }

    @Test
    void aFailureThatDoesNotReplayIsNotShrunk() {
        // diverges only on the first sequence's 50th action: a replay from a fresh state never does
        int[] performed = {0};
        FakeExecutor.Bug flaky = (h, a, o) -> ++performed[0] == 50 ? Outcome.error(Errno.EBUSY) : o;
        FakeExecutor ex = new FakeExecutor(AbiVersion.V6_12, flaky);
        RecordingSink sink = new RecordingSink();
        new DifferentialRun(ex, ModelOptions.defaults(), Layout.defaultLayout(), tickingClock())
                .run(9, AbiVersion.V6_12, Budget.actions(200), FuzzConfig.defaults().withMaxDivergences(1), sink);
        assertThat(sink.divergences).hasSize(1);
        assertThat(sink.infos).anyMatch(i -> i.contains("the failure did not replay (AGREED)"));
        Sink.Divergence d = sink.divergences.get(0);
        assertThat(sink.files.get(d.id() + ".actions").lines().count()).isEqualTo(50);
    }

    @Test
    void theTimeBudgetStopsTheRun() {
        FakeExecutor ex = new FakeExecutor(AbiVersion.V7_3, FakeExecutor.NONE);
        RecordingSink sink = new RecordingSink();
        // the ticking clock advances 1 ms per reading, about one reading per action
        Sink.Stats st = new DifferentialRun(ex, ModelOptions.defaults(), Layout.defaultLayout(), tickingClock())
                .run(1, AbiVersion.V7_3, new Budget(Long.MAX_VALUE, Duration.ofMillis(500)), FuzzConfig.defaults(), sink);
        assertThat(st.stopReason()).isEqualTo("time budget spent");
        assertThat(st.actions()).isBetween(100L, 500L);
        assertThat(st.actionsPerSecond()).isPositive();
    }

    @Test
    void progressIsReportedByCount() {
        FuzzConfig cfg = FuzzConfig.defaults().withProgress(100, Duration.ofDays(1));
        RecordingSink s = run(2, AbiVersion.V7_3, 1000, cfg, FakeExecutor.NONE);
        assertThat(s.progress).hasSize(9);
        assertThat(s.progress.get(0).actions()).isEqualTo(100);
    }

    @Test
    void replayModeReplaysAndReportsADivergence() {
        List<Action> list = Reproducers.parseActions("""
                mmap id=1 pages=4 prot=RW kind=ANON_PRIVATE thp=false
                open fd=0 dev=0
                write map=1 page=0 token=0x77
                ioctl fd=0 cmd=READ map=1 page=0 npages=2
                read map=1 page=0
                """);
        FakeExecutor good = new FakeExecutor(AbiVersion.V7_3, FakeExecutor.NONE);
        RecordingSink s1 = new RecordingSink();
        good.recording = s1;
        ReplayResult r1 = new DifferentialRun(good, ModelOptions.defaults(), Layout.defaultLayout())
                .replay(AbiVersion.V7_3, list, Replayer.HazardPolicy.ALL, s1);
        assertThat(r1.status()).isEqualTo(ReplayResult.Status.AGREED);
        assertThat(r1.steps()).hasSize(5);
        assertThat(s1.log.get(0)).isEqualTo("sequence 0 REPLAY");
        assertThat(s1.divergences).isEmpty();

        FakeExecutor bad = new FakeExecutor(AbiVersion.V7_3, EXTRA_FAULT);
        RecordingSink s2 = new RecordingSink();
        ReplayResult r2 = new DifferentialRun(bad, ModelOptions.defaults(), Layout.defaultLayout())
                .replay(AbiVersion.V7_3, list, Replayer.HazardPolicy.ALL, s2);
        assertThat(r2.status()).isEqualTo(ReplayResult.Status.DIVERGED);
        assertThat(r2.stoppedAt()).isEqualTo(3);
        assertThat(s2.divergences).singleElement().satisfies(d -> {
            assertThat(d.signature()).isEqualTo("ioctl READ: faults");
            assertThat(d.index()).isEqualTo(3);
        });
        assertThat(s2.stats.stopReason()).isEqualTo("replay DIVERGED");
    }

    @Test
    void replaySkipsActionsTheModelRefusesAndStopsBeforeForbiddenHazards() {
        List<Action> list = Reproducers.parseActions("""
                read map=5 page=0
                mmap id=1 pages=2 prot=RW kind=ANON_PRIVATE thp=false
                open fd=0 dev=0
                open fd=1 dev=0
                ioctl fd=0 cmd=MIGRATE_TO_DEV map=1 page=0 npages=1
                ioctl fd=1 cmd=READ map=1 page=0 npages=1
                """);
        FakeExecutor ex = new FakeExecutor(AbiVersion.V7_3, FakeExecutor.NONE);
        RecordingSink s = new RecordingSink();
        Replayer r = new Replayer(ex, () -> new hmmtest.model.Model(AbiVersion.V7_3), s, () -> 0);
        ReplayResult res = r.replay(list, Sink.SequenceKind.SHRINK, Replayer.HazardPolicy.AVOID);
        assertThat(res.skipped()).singleElement().asString().startsWith("0: read map=5 page=0");
        assertThat(res.status()).isEqualTo(ReplayResult.Status.HAZARD_AVOIDED);
        assertThat(res.stoppedAt()).isEqualTo(5);
        assertThat(ex.performed).hasSize(4);
    }

    @Test
    void shrinkingStopsWhenItsTimeIsUp() {
        // every performed action takes 10 ms: a 300 ms shrink budget allows a few replays
        FuzzConfig cfg = FuzzConfig.defaults().withShrink(true, 10_000, Duration.ofMillis(300)).withMaxDivergences(1);
        FakeExecutor ex = new FakeExecutor(AbiVersion.V7_3, MPROTECT_AFTER_EXCLUSIVE);
        RecordingSink s = new RecordingSink();
        new DifferentialRun(ex, ModelOptions.defaults(), Layout.defaultLayout(), () -> ex.performed.size() * 10_000_000L)
                .run(3, AbiVersion.V7_3, Budget.actions(20_000), cfg, s);
        assertThat(s.divergences).hasSize(1);
        assertThat(s.infos).anyMatch(i -> i.contains("time budget of 0 s spent"));
        assertThat(s.stats.shrinkCandidates()).isLessThan(10);
        Sink.Divergence d = s.divergences.get(0);
        assertThat(s.files).containsKey(d.id() + ".actions");
    }

    @Test
    void aGivenListCanBeReplayedAndShrunk() {
        FakeExecutor gen = new FakeExecutor(AbiVersion.V7_3, MPROTECT_AFTER_EXCLUSIVE);
        RecordingSink first = new RecordingSink();
        new DifferentialRun(gen, ModelOptions.defaults(), Layout.defaultLayout(), tickingClock()).run(3,
                AbiVersion.V7_3, Budget.actions(20_000), FuzzConfig.defaults().withShrink(false, 0, Duration.ZERO)
                        .withMaxDivergences(1), first);
        List<Action> full = Reproducers.parseActions(first.files.get(first.divergences.get(0).id() + ".actions"));

        FakeExecutor ex = new FakeExecutor(AbiVersion.V7_3, MPROTECT_AFTER_EXCLUSIVE);
        RecordingSink s = new RecordingSink();
        ReplayResult r = new DifferentialRun(ex, ModelOptions.defaults(), Layout.defaultLayout(), tickingClock())
                .replayAndShrink(AbiVersion.V7_3, full, FuzzConfig.defaults(), s);
        assertThat(r.diverged()).isTrue();
        assertThat(s.log.get(0)).isEqualTo("sequence 0 REPLAY");
        Sink.Divergence d = s.divergences.get(0);
        assertThat(d.id()).isEqualTo("div-s0-q0-a" + (full.size() - 1));
        assertThat(Reproducers.parseActions(s.files.get(d.id() + ".actions"))).hasSizeLessThanOrEqualTo(4);
        assertThat(s.stats.stopReason()).isEqualTo("replay DIVERGED");
    }

    @Test
    void theEntryPointParsesItsArguments() {
        FuzzRequest r = FuzzRequest.parse(new String[] {"--seed", "9", "--seconds", "30", "--explore-hazards",
            "--shrink-budget", "20", "--max-divergences", "2", "--weight", "fork=0", "--bounds", "3,2,8",
            "--rerun", "make fuzz SEED={seed}"});
        assertThat(r.mode()).isEqualTo(FuzzRequest.Mode.FUZZ);
        assertThat(r.seed()).isEqualTo(9);
        assertThat(r.budget().time()).isEqualTo(Duration.ofSeconds(30));
        assertThat(r.budget().actions()).isEqualTo(Long.MAX_VALUE);
        assertThat(r.config().exploreHazards()).isTrue();
        assertThat(r.config().shrinkBudget()).isEqualTo(20);
        assertThat(r.config().maxDivergences()).isEqualTo(2);
        assertThat(r.config().generator().weights()).containsEntry(hmmtest.model.gen.ActionGenerator.Kind.FORK, 0);
        assertThat(r.config().generator().maxMappings()).isEqualTo(3);
        assertThat(r.config().rerunCommand()).isEqualTo("make fuzz SEED={seed}");
        assertThat(FuzzRequest.parse(new String[0]).budget()).isEqualTo(Budget.actions(10_000));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FuzzRequest.parse(new String[] {"--bogus"}))
                .hasMessageContaining("unknown argument --bogus").hasMessageContaining("replay:");
    }

    @Test
    void theEntryPointReadsListsToReplayOrShrink(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path f = dir.resolve("x.actions");
        java.nio.file.Files.writeString(f, "open fd=0 dev=0\nclose fd=0\n");
        FuzzRequest r = FuzzRequest.parse(new String[] {"--replay", f.toString(), "--replay-hazards", "non-fatal"});
        assertThat(r.mode()).isEqualTo(FuzzRequest.Mode.REPLAY);
        assertThat(r.replay()).hasSize(2);
        assertThat(r.replayHazards()).isEqualTo(Replayer.HazardPolicy.NON_FATAL);
        assertThat(FuzzRequest.parse(new String[] {"--shrink", f.toString()}).mode()).isEqualTo(FuzzRequest.Mode.SHRINK);
    }
}
