package hmmtest.container;

import java.util.function.Supplier;
import picocli.CommandLine;
import hmmtest.infra.ExitCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Chooses where a command runs: {@code local} (this process) or {@code container} (the same command
 * line, run by the same jars inside the toolchain image). The choice comes from a global
 * {@code --backend} option anywhere before {@code --}, else {@code $HMMTEST_BACKEND}, else local.
 * Inside the container ({@code HMMTEST_IN_CONTAINER=1}) everything runs locally.
 */
public final class Backend {
    public static final String ENV = "HMMTEST_BACKEND";
    public static final String IN_CONTAINER_ENV = "HMMTEST_IN_CONTAINER";
    static final String OPTION = "--backend";

    private Backend() {}

    /**
     * What {@code Main} does with a command line: either it ran elsewhere ({@code exitCode} set), or
     * it runs here with {@code localArgs} (the arguments without {@code --backend}).
     */
    public record Dispatch(Integer exitCode, String[] localArgs) {}

    /** The backend named by the command line or the environment, and the arguments without the option. */
    record Choice(String backend, List<String> args) {}

    /**
     * {@code cli}: a fresh parser of the CLI's own command line, which the container side uses to
     * find the paths and the kernel source a command needs (the CLI hands it in: no package cycle).
     */
    public static Dispatch dispatch(String[] args, Map<String, String> env, Supplier<CommandLine> cli) {
        Choice c;
        try {
            c = choose(args, env);
        } catch (IllegalArgumentException e) {
            System.err.println("hmmtest: " + e.getMessage());
            return new Dispatch(ExitCode.USAGE.code, args);
        }
        if (c.backend().equals("container") && !"1".equals(env.get(IN_CONTAINER_ENV)) && !helpOnly(c.args())) {
            return new Dispatch(ContainerBackend.execute(c.args(), env, cli), args);
        }
        return new Dispatch(null, c.args().toArray(String[]::new));
    }

    static Choice choose(String[] args, Map<String, String> env) {
        String backend = env.getOrDefault(ENV, "");
        List<String> rest = new ArrayList<>();
        boolean endOfOptions = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!endOfOptions && a.equals("--")) {
                endOfOptions = true;
            } else if (!endOfOptions && a.equals(OPTION)) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--backend needs a value: local or container");
                }
                backend = args[++i];
                continue;
            } else if (!endOfOptions && a.startsWith(OPTION + "=")) {
                backend = a.substring(OPTION.length() + 1);
                continue;
            }
            rest.add(a);
        }
        backend = backend.isBlank() ? "local" : backend.trim();
        if (!backend.equals("local") && !backend.equals("container")) {
            throw new IllegalArgumentException("unknown backend '" + backend + "' (--backend or " + ENV
                    + "): use local or container");
        }
        return new Choice(backend, List.copyOf(rest));
    }

    /** {@code hmmtest}, {@code hmmtest --help}, {@code hmmtest --version}: nothing to run in a container. */
    static boolean helpOnly(List<String> args) {
        return args.isEmpty() || args.stream().allMatch(a -> a.equals("-h") || a.equals("--help")
                || a.equals("-V") || a.equals("--version") || a.equals("help"));
    }
}
