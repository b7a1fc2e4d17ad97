/**
 * Kernel coverage of a run (COVERAGE=1): the gcov counters the guest sends after its work, stored
 * per VM, turned into lcov tracefiles with the build's gcov notes, merged across VMs, rendered
 * as HTML with genhtml, summarised per file, and matched against the lines a series changed.
 */
package hmmtest.coverage;
