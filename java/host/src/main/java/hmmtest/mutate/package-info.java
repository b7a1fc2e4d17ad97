/**
 * The mutation score of a series (make mutate): small faults put into the C lines the series adds
 * or changes, each built incrementally and judged by the suite and a short differential run. A
 * mutant that nothing kills is a changed line no test checks.
 */
package hmmtest.mutate;
