package hmmtest.guest;

import java.util.Set;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The VM after a crash runs the plan from the test after the crashing one: the tests before it
 * ran in earlier VMs and are disabled here, so the plan that was discovered once (before a warm
 * snapshot, or at start) is executed as it is, with no second discovery. Registered for every
 * run through the ServiceLoader (META-INF/services); with nothing to skip it decides nothing.
 * The skipped tests are not reported ({@link ResultStreamListener}): their verdicts are the
 * earlier VMs'.
 */
public final class ContinueFrom implements ExecutionCondition {
    private static volatile Set<String> alreadyRun = Set.of();

    /** The unique ids of the tests that ran in earlier VMs. */
    static void skip(Set<String> uniqueIds) {
        alreadyRun = Set.copyOf(uniqueIds);
    }

    static boolean skipped(String uniqueId) {
        return alreadyRun.contains(uniqueId);
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return skipped(context.getUniqueId()) ? ConditionEvaluationResult.disabled("ran in an earlier VM")
                : ConditionEvaluationResult.enabled("");
    }
}
