// SPDX-License-Identifier: GPL-2.0
/*
 * libhmmtest_native: C helpers the guest JVM calls through JNA.
 * Only what cannot be done from Java lives here (a forked child of a JVM must not run Java).
 */
#include "hmmtest_native.h"
#include "hmm_dmirror_uapi.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>


int hmmtest_native_abi(void)
{
	return HMMTEST_NATIVE_ABI;
}

/* Default dispositions and an empty mask: the JVM's handlers are meaningless in the child. */
static void child_reset_signals(void)
{
	struct sigaction sa;
	sigset_t none;
	int sig;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++) {
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &sa, NULL);	/* fails harmlessly for reserved numbers */
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static void child_init(struct hmmtest_child_report *report)
{
	child_reset_signals();
	report->step = HMMTEST_STEP_OK;
	report->err = 0;
	report->index = -1;
	report->expected = 0;
	report->actual = 0;
}

/* Records the failing step and ends the child with it as exit status. */
static void child_fail(struct hmmtest_child_report *report, int step, int err,
		       int64_t index, int64_t expected, int64_t actual)
{
	report->step = step;
	report->err = err;
	report->index = index;
	report->expected = expected;
	report->actual = actual;
	_exit(step);
}

/* ptr[i] must be sign * i (+ add) for every i; the first mismatch ends the child. */
static void child_expect(struct hmmtest_child_report *report, int step, const int32_t *ptr,
			 int64_t nints, int32_t sign, int32_t add)
{
	int64_t i;

	for (i = 0; i < nints; i++) {
		int32_t want = sign * (int32_t)i + add;

		if (ptr[i] != want)
			child_fail(report, step, 0, i, want, ptr[i]);
	}
}

pid_t hmmtest_fork_write_child(int device, int32_t *ptr, const int32_t *mirror, int64_t nints,
			       uint64_t npages, int flags, struct hmmtest_child_report *report)
{
	char path[] = "/dev/hmm_dmirror0";
	struct hmm_dmirror_cmd cmd;
	pid_t pid;
	int fd;
	int ret;

	if (device < 0 || device > 9)
		return -EINVAL;
	path[sizeof(path) - 2] = (char)('0' + device);	/* no snprintf: not async-signal-safe */

	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0)
		return pid;

	child_init(report);
	/* Check that we see the parent's values. */
	child_expect(report, HMMTEST_STEP_PARENT_VALUES, ptr, nints, 1, 0);
	if (flags & HMMTEST_CHECK_MIRROR)
		child_expect(report, HMMTEST_STEP_MIRROR_VALUES, mirror, nints, -1, 0);

	/* The child process needs its own mirror to its own mm. */
	fd = open(path, O_RDWR);
	if (fd < 0)
		child_fail(report, HMMTEST_STEP_OPEN, errno, -1, 0, fd);

	/* Simulate a device writing system memory; retry on EINTR like upstream's helper. */
	cmd.addr = (uint64_t)(uintptr_t)ptr;
	cmd.ptr = (uint64_t)(uintptr_t)mirror;
	cmd.npages = npages;
	cmd.cpages = 0;
	cmd.faults = 0;
	do {
		ret = ioctl(fd, HMM_DMIRROR_WRITE, &cmd);
	} while (ret != 0 && errno == EINTR);
	if (ret != 0)
		child_fail(report, HMMTEST_STEP_WRITE, errno, -1, 0, -errno);
	if (cmd.cpages != npages)
		child_fail(report, HMMTEST_STEP_CPAGES, 0, -1, (int64_t)npages, (int64_t)cmd.cpages);
	if (cmd.faults != 1)
		child_fail(report, HMMTEST_STEP_FAULTS, 0, -1, 1, (int64_t)cmd.faults);

	/* Check what the device wrote. */
	if (flags & HMMTEST_CHECK_WRITTEN)
		child_expect(report, HMMTEST_STEP_WRITTEN, ptr, nints, -1, 0);

	close(fd);
	_exit(HMMTEST_STEP_OK);
}

pid_t hmmtest_fork_increment_child(int32_t *ptr, int64_t nints, struct hmmtest_child_report *report)
{
	pid_t pid;
	int64_t i;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0)
		return pid;

	child_init(report);
	/* Each first access faults a device-exclusive or COW page back; the value must survive. */
	for (i = 0; i < nints; i++) {
		int32_t old = ptr[i]++;

		if (old != (int32_t)i)
			child_fail(report, HMMTEST_STEP_INCREMENT, 0, i, i, old);
	}
	child_expect(report, HMMTEST_STEP_INCREMENTED, ptr, nints, 1, 1);
	_exit(HMMTEST_STEP_OK);
}

pid_t hmmtest_fork_waiting_child(void)
{
	int ready[2];
	char byte = 0;
	pid_t pid;

	/*
	 * The parent must not signal the child before the child has dropped the JVM's inherited
	 * handlers: a SIGTERM caught by them is swallowed and the child never exits. So the child
	 * says when it is ready, and only then does the parent get its pid.
	 */
	if (pipe(ready))
		return -errno;
	pid = fork();
	if (pid < 0) {
		int err = errno;

		close(ready[0]);
		close(ready[1]);
		return -err;
	}
	if (pid > 0) {
		ssize_t n;

		close(ready[1]);
		do {
			n = read(ready[0], &byte, 1);
		} while (n < 0 && errno == EINTR);
		close(ready[0]);
		return pid;
	}
	close(ready[0]);
	child_reset_signals();
	if (write(ready[1], &byte, 1) != 1)
		_exit(127);
	close(ready[1]);
	for (;;)
		pause();
}
