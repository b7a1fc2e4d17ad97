package hmmtest.session;

/**
 * A VM ended by the infrastructure, not by the kernel: a stall detector's claim that cannot be
 * true (the guest clock jumped: a paused, stepped or starved host). The test in flight runs again
 * in a fresh VM; nothing is counted as a kernel crash.
 */
public record InfraEvent(int vm, String test, String title, String reason) {}
