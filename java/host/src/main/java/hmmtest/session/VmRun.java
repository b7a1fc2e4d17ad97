package hmmtest.session;

import hmmtest.results.RunResults;

/** One VM of a session: its index, its results, and why it ended. */
public record VmRun(int index, RunResults results, String ending, double seconds) {}
