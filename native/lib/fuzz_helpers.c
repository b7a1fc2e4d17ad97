// SPDX-License-Identifier: GPL-2.0
/*
 * C helpers of the differential fuzzer. A forked JVM child must not run Java: the child's page
 * store happens here, with nothing but stores and _exit between fork and exit.
 */
#define _GNU_SOURCE
#include "fuzz_helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#endif

int hmmfuzz_abi(void)
{
	return HMMFUZZ_ABI;
}

/* Word j of the page pattern of token: hmmtest.model.PageContent.word(). */
static unsigned long page_word(unsigned long token, unsigned long j)
{
	if (token == 0)
		return 0;
	return j == 0 ? token : token ^ ((j * 0x9E3779B97F4A7C15UL) | 1);
}

int hmmfuzz_fork_write(unsigned long addr, unsigned long token)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		volatile unsigned long *p = (volatile unsigned long *)addr;
		unsigned long j;

		/*
		 * The JVM's handlers are inherited: a faulting store would make the child write a JVM
		 * crash report. Die quietly instead; the parent sees the signal in the wait status.
		 */
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);

		for (j = 0; j < 4096 / sizeof(unsigned long); j++)
			p[j] = page_word(token, j);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	return status;
}

int hmmfuzz_open_orphan(const char *path)
{
	volatile int *slot;
	int status, fd;
	pid_t pid;

	slot = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (slot == MAP_FAILED)
		return -errno;
	*slot = -ENOSYS;
	/* fork with a shared fd table: the child's open lands in ours, bound to the child's mm */
	pid = (pid_t)syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0, NULL, NULL, 0);
	if (pid < 0) {
		int e = errno;

		munmap((void *)slot, 4096);
		return -e;
	}
	if (pid == 0) {
		int r = open(path, O_RDWR | O_CLOEXEC);

		*slot = r < 0 ? -errno : r;
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			int e = errno;

			munmap((void *)slot, 4096);
			return -e;
		}
	}
	fd = *slot;
	munmap((void *)slot, 4096);
	return fd;
}

int hmmfuzz_memfd(long size)
{
	int fd = (int)syscall(SYS_memfd_create, "hmmfuzz", MFD_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, size) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

void hmmfuzz_fill_pages(unsigned long addr, long npages, unsigned long token, unsigned long step)
{
	long i;
	unsigned long j;

	for (i = 0; i < npages; i++) {
		unsigned long *p = (unsigned long *)(addr + i * 4096UL);
		unsigned long t = token + i * step;

		for (j = 0; j < 4096 / sizeof(unsigned long); j++)
			p[j] = page_word(t, j);
	}
}

void hmmfuzz_decode_pages(unsigned long addr, long npages, unsigned long *out, unsigned long garbled)
{
	long i;
	unsigned long j;

	for (i = 0; i < npages; i++) {
		const unsigned long *p = (const unsigned long *)(addr + i * 4096UL);
		unsigned long t = p[0];

		out[i] = t;
		for (j = 1; j < 4096 / sizeof(unsigned long); j++) {
			if (p[j] != page_word(t, j)) {
				out[i] = garbled;
				break;
			}
		}
	}
}
