// SPDX-License-Identifier: GPL-2.0
/*
 * C baseline for the cost of one dmirror READ of an already mirrored page: the same loop the
 * guest JVM runs through JNA (hmmtest.guest.ReadBenchmark), so the two can be compared as a
 * ratio measured in one VM. Usage: read_bench ITERATIONS [DEVICE]
 * Prints: "read_bench c ns_per_call=<n> iterations=<n>".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "hmm_dmirror_uapi.h"

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long iterations = argc > 1 ? atol(argv[1]) : 20000;
	const char *dev = argc > 2 ? argv[2] : "/dev/hmm_dmirror0";
	struct hmm_dmirror_cmd cmd;
	double start, end;
	char *page, *out;
	long i;
	int fd;

	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "read_bench: open %s: %s\n", dev, strerror(errno));
		return 1;
	}
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	out = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED || out == MAP_FAILED) {
		perror("read_bench: mmap");
		return 1;
	}
	memset(page, 0x5a, 4096);
	memset(&cmd, 0, sizeof(cmd));
	cmd.addr = (uintptr_t)page;
	cmd.ptr = (uintptr_t)out;
	cmd.npages = 1;
	/* The first READ faults the page into the mirror; the loop measures mirrored reads. */
	if (ioctl(fd, HMM_DMIRROR_READ, &cmd)) {
		perror("read_bench: first READ");
		return 1;
	}
	start = now_ns();
	for (i = 0; i < iterations; i++) {
		cmd.npages = 1;
		if (ioctl(fd, HMM_DMIRROR_READ, &cmd)) {
			perror("read_bench: READ");
			return 1;
		}
	}
	end = now_ns();
	printf("read_bench c ns_per_call=%.0f iterations=%ld\n", (end - start) / iterations, iterations);
	close(fd);
	return 0;
}
