package hmmtest.session;

import hmmtest.results.RunResults;
import hmmtest.vm.VmLauncher;

/** One VM of a session: its index, its results, why it ended, and how it started (booted or restored). */
public record VmRun(int index, RunResults results, String ending, double seconds, VmLauncher.Start start) {}
