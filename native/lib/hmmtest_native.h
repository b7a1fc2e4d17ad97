/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HMMTEST_NATIVE_H
#define HMMTEST_NATIVE_H

#include <stdint.h>
#include <sys/types.h>

/* Bumped when a function's signature changes; the Java side checks it at load time. */
#define HMMTEST_NATIVE_ABI 2

int hmmtest_native_abi(void);

/*
 * Fork helpers. A forked JVM child must not run Java (only the forking thread exists in it and
 * the JVM's locks may be held by threads that vanished), so the child's part of a test is here,
 * in async-signal-safe C: memory checks, open/ioctl/close, _exit. Each helper returns the child's
 * pid to the parent (or -errno if fork failed); the parent reaps it with waitpid().
 *
 * Every child first restores default signal dispositions and an empty signal mask (it inherits
 * the JVM's handlers, which would swallow SIGTERM and SIGSEGV in a process without a JVM), then
 * records the first failing check in *report (shared memory the parent reads after waitpid) and
 * exits with that check's step number: 0 means every check passed.
 */

/* Which check failed (exit status of the child). */
enum hmmtest_step {
	HMMTEST_STEP_OK = 0,
	HMMTEST_STEP_PARENT_VALUES = 1,	/* ptr[i] == i: the child sees the parent's data */
	HMMTEST_STEP_MIRROR_VALUES = 2,	/* mirror[i] == -i: the data the device will write */
	HMMTEST_STEP_OPEN = 3,		/* open("/dev/hmm_dmirrorN") */
	HMMTEST_STEP_WRITE = 4,		/* HMM_DMIRROR_WRITE returned 0 */
	HMMTEST_STEP_CPAGES = 5,	/* cpages == npages */
	HMMTEST_STEP_FAULTS = 6,	/* faults == 1 */
	HMMTEST_STEP_WRITTEN = 7,	/* ptr[i] == -i: the device wrote the child's memory */
	HMMTEST_STEP_INCREMENT = 8,	/* ptr[i]++ == i */
	HMMTEST_STEP_INCREMENTED = 9,	/* ptr[i] == i + 1 */
};

/* What the child saw at the failing step; all zero with index -1 when nothing failed. */
struct hmmtest_child_report {
	int32_t step;		/* enum hmmtest_step */
	int32_t err;		/* errno of a failed call, else 0 */
	int64_t index;		/* int index of a failed comparison, else -1 */
	int64_t expected;
	int64_t actual;
};

/* Flags of hmmtest_fork_write_child(). */
#define HMMTEST_CHECK_MIRROR	0x1	/* check mirror[i] == -i before writing */
#define HMMTEST_CHECK_WRITTEN	0x2	/* check ptr[i] == -i after writing */

/*
 * The child half of upstream's anon_write_child / anon_write_child_shared: check ptr[i] == i for
 * the nints ints at ptr (and mirror[i] == -i with HMMTEST_CHECK_MIRROR), open its own
 * /dev/hmm_dmirror<device> (a mirror of the child's mm), HMM_DMIRROR_WRITE npages from mirror
 * to ptr, require 0, cpages == npages and faults == 1 (and ptr[i] == -i with
 * HMMTEST_CHECK_WRITTEN), close, _exit(0).
 */
pid_t hmmtest_fork_write_child(int device, int32_t *ptr, const int32_t *mirror, int64_t nints,
			       uint64_t npages, int flags, struct hmmtest_child_report *report);

/*
 * The child half of upstream's exclusive_cow: increment each of the nints ints at ptr checking
 * the old value is i, then check every value is i + 1, _exit(0).
 */
pid_t hmmtest_fork_increment_child(int32_t *ptr, int64_t nints, struct hmmtest_child_report *report);

/*
 * A child that does nothing until a signal ends it (upstream's hmm_cow_in_device child spins in
 * while (1); this one sleeps in pause(), which is the same for the parent and cheaper under TCG).
 */
pid_t hmmtest_fork_waiting_child(void);

#endif
