package hmmtest.results;

/** One test's result as the host saw it. */
public record TestOutcome(String id, TestStatus status, long millis, String message) {}
