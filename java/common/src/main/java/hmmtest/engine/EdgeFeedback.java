package hmmtest.engine;

/**
 * New kernel edges since the last call, for coverage steering. The guest reads them from a
 * coverage kernel's gcov counters (the guest's CoverageFeedback).
 */
public interface EdgeFeedback {
    /** Edges first taken since the previous call. */
    long newEdges();

    /** Where the edges are read (for the log). */
    String name();

    /** Mean cost of one {@link #newEdges()} call, in microseconds. */
    double microsPerRead();
}
