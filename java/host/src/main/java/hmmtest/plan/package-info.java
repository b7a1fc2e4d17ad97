/**
 * Which tests run where, decided before anything boots: the plan a selection gives, its
 * deterministic split into CI shards (SHARD=i/n), the work queue the VMs of one run pull from
 * (JOBS=N), and the recorded test durations both are balanced by.
 */
package hmmtest.plan;
