package hmmtest.engine;

import hmmtest.model.Action;
import hmmtest.model.gen.ActionGenerator;
import hmmtest.repro.Reproducers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a differential run is asked to do, parsed from its arguments: the one parser of the fuzz
 * arguments, for the guest's engine (the host sends them in {@code fuzz.args}) and the host's.
 *
 * <pre>
 * fuzz:   [--seed N] [--actions N] [--seconds S] [--explore-hazards] [--no-shrink]
 *         [--shrink-budget N] [--shrink-seconds S] [--max-divergences N] [--sequence-length N]
 *         [--progress-every N] [--rerun TEXT] [--no-setup] [--hugetlb PAGES] [--no-thp]
 *         [--bounds MAPPINGS,FDS,PAGES] [--weight KIND=W ...] [--tolerate-background]
 *         [--steer]
 * replay: --replay FILE [--replay-hazards avoid|non-fatal|all] [--no-setup] [--hugetlb PAGES]
 * shrink: --shrink FILE [--shrink-budget N] [--shrink-seconds S] [--rerun TEXT] [--no-setup]
 * </pre>
 *
 * Defaults: seed 1, 10000 actions (no time limit unless --seconds), shrinking on (150 replays,
 * 120 s per divergence), stop after 5 divergences, sequences of 300 actions, the machine's knobs
 * applied and restored.
 *
 * @param replay the actions to replay (REPLAY mode), else empty
 * @param hugetlbPages 2 MiB pages to reserve (also turns hugetlb mappings on in the generator)
 */
public record FuzzRequest(FuzzRequest.Mode mode, long seed, Budget budget, FuzzConfig config, boolean setupMachine,
                          List<Action> replay, Replayer.HazardPolicy replayHazards, int hugetlbPages) {

    /** FUZZ: generate; REPLAY: replay a list once; SHRINK: replay a list and shrink its divergence. */
    public enum Mode { FUZZ, REPLAY, SHRINK }

    public FuzzRequest {
        replay = List.copyOf(replay);
    }

    public static FuzzRequest fuzz(long seed, Budget budget, FuzzConfig config) {
        return new FuzzRequest(Mode.FUZZ, seed, budget, config, true, List.of(), Replayer.HazardPolicy.ALL, 0);
    }

    public static FuzzRequest replay(List<Action> actions) {
        return new FuzzRequest(Mode.REPLAY, 0, Budget.actions(0), FuzzConfig.defaults(), true, actions,
                Replayer.HazardPolicy.ALL, 0);
    }

    public static String usage() {
        return """
                fuzz:   [--seed N] [--actions N] [--seconds S] [--explore-hazards] [--no-shrink]
                        [--shrink-budget N] [--shrink-seconds S] [--max-divergences N] [--sequence-length N]
                        [--progress-every N] [--rerun TEXT] [--no-setup] [--hugetlb PAGES] [--no-thp]
                        [--bounds MAPPINGS,FDS,PAGES] [--weight KIND=W ...] [--tolerate-background]
                        [--steer]
                replay: --replay FILE [--replay-hazards avoid|non-fatal|all] [--no-setup] [--hugetlb PAGES]
                shrink: --shrink FILE [--shrink-budget N] [--shrink-seconds S] [--rerun TEXT] [--no-setup]
                """;
    }

    /** Parses arguments; IllegalArgumentException (with the usage) on a bad one. */
    public static FuzzRequest parse(String[] args) {
        long seed = 1;
        Long actions = null;
        Long seconds = null;
        FuzzConfig cfg = FuzzConfig.defaults();
        ActionGenerator.Config gen = cfg.generator();
        boolean shrink = true;
        int shrinkBudget = cfg.shrinkBudget();
        Duration shrinkTime = cfg.shrinkTime();
        boolean setup = true;
        int hugetlb = 0;
        Path replay = null;
        boolean shrinkList = false;
        Replayer.HazardPolicy replayHazards = Replayer.HazardPolicy.ALL;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--actions" -> actions = Long.parseLong(args[++i]);
                    case "--seconds" -> seconds = Long.parseLong(args[++i]);
                    case "--explore-hazards" -> gen = gen.withExploreHazards(true);
                    case "--no-shrink" -> shrink = false;
                    case "--shrink-budget" -> shrinkBudget = Integer.parseInt(args[++i]);
                    case "--shrink-seconds" -> shrinkTime = Duration.ofSeconds(Long.parseLong(args[++i]));
                    case "--max-divergences" -> cfg = cfg.withMaxDivergences(Integer.parseInt(args[++i]));
                    case "--sequence-length" -> cfg = cfg.withSequenceLength(Integer.parseInt(args[++i]));
                    case "--progress-every" -> cfg = cfg.withProgress(Integer.parseInt(args[++i]), cfg.progressInterval());
                    case "--rerun" -> cfg = cfg.withRerunCommand(args[++i]);
                    case "--no-setup" -> setup = false;
                    case "--steer" -> cfg = cfg.withSteer(true);
                    case "--hugetlb" -> hugetlb = Integer.parseInt(args[++i]);
                    case "--no-thp" -> gen = gen.withThp(false);
                    case "--bounds" -> {
                        String[] b = args[++i].split(",");
                        gen = gen.withBounds(Integer.parseInt(b[0]), Integer.parseInt(b[1]), Integer.parseInt(b[2]));
                    }
                    case "--weight" -> {
                        String[] kv = args[++i].split("=");
                        gen = gen.withWeight(ActionGenerator.Kind.valueOf(kv[0].toUpperCase()), Integer.parseInt(kv[1]));
                    }
                    case "--tolerate-background" -> gen = gen.withModelOptions(
                            gen.modelOptions().withTolerateBackgroundInvalidation(true));
                    case "--replay" -> replay = Path.of(args[++i]);
                    case "--shrink" -> {
                        replay = Path.of(args[++i]);
                        shrinkList = true;
                    }
                    case "--replay-hazards" -> replayHazards = Replayer.HazardPolicy.valueOf(
                            args[++i].toUpperCase().replace('-', '_'));
                    default -> throw new IllegalArgumentException("unknown argument " + a);
                }
            }
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
            throw new IllegalArgumentException("bad arguments (" + e.getMessage() + ")\n" + usage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "\n" + usage(), e);
        }
        if (hugetlb > 0) {
            gen = gen.withHugetlb(true);
        }
        cfg = cfg.withGenerator(gen).withShrink(shrink, shrinkBudget, shrinkTime);
        Budget budget = actions == null && seconds == null ? Budget.actions(10_000)
                : new Budget(actions == null ? Long.MAX_VALUE : actions,
                        seconds == null ? Duration.ofDays(365) : Duration.ofSeconds(seconds));
        List<Action> list = List.of();
        Mode mode = Mode.FUZZ;
        if (replay != null) {
            try {
                list = Reproducers.parseActions(Files.readString(replay));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + replay, e);
            }
            mode = shrinkList ? Mode.SHRINK : Mode.REPLAY;
        }
        return new FuzzRequest(mode, seed, budget, cfg, setup, list, replayHazards, hugetlb);
    }
}
