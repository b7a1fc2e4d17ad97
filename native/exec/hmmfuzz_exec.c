// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's thin executor for the host's differential engine: reads one action at a time from
 * the control port, performs it on the test_hmm driver, and answers with what it observed
 * (include/hmmfuzz_exec_wire.h). The model lives on the host; this process only does system
 * calls, so its address space stays small (a fork or an orphan open copies it) and no JIT or
 * garbage collector runs beside the actions.
 *
 * Usage: hmmfuzz_exec PORT BUFFER_PAGES SNAPSHOT_BYTES
 * The buffer sizes are the model's largest (hmmtest.model.Action.Ioctl), passed by the guest JVM.
 * PORT "-" serves on stdin and stdout instead (the host's unit tests run it so on the host kernel).
 */
#define _GNU_SOURCE
#include "fuzz_helpers.h"
#include "hmm_dmirror_uapi.h"
#include "hmmfuzz_exec_wire.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define MAX_HANDLES 256

static int port_in = -1, port_out = -1;
static int fds[MAX_HANDLES]; /* model fd handle -> real fd, -1: not open */
static unsigned long page_buffer, snapshot_buffer;
static long buffer_pages, snapshot_bytes;

/* The reply being built: header, tokens, bytes; sent with one write. */
static int64_t reply_head[6];
static uint64_t *reply_data;
static unsigned char *reply_bytes;
static size_t reply_bytes_cap;

static sigjmp_buf fault_jump;
static volatile sig_atomic_t guarding;

static void on_fault(int sig)
{
	if (guarding)
		siglongjmp(fault_jump, sig);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void die(const char *what)
{
	fprintf(stderr, "hmmfuzz_exec: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void read_full(void *buf, size_t n)
{
	char *p = buf;
	int idle_ms = 0;

	while (n > 0) {
		ssize_t r = read(port_in, p, n);

		if (r > 0) {
			p += r;
			n -= (size_t)r;
			idle_ms = 0;
			continue;
		}
		if (r < 0 && errno != EINTR)
			die("read from the control port");
		if (r == 0) {
			/* no host program on the socket: wait for it, not forever */
			struct timespec ms = { 0, 1000000 };

			if (++idle_ms > 60000) {
				fprintf(stderr, "hmmfuzz_exec: the host went away\n");
				exit(3);
			}
			nanosleep(&ms, NULL);
		}
	}
}

static void write_full(const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t w = write(port_out, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			die("write to the control port");
		}
		p += w;
		n -= (size_t)w;
	}
}

static void send_reply(void)
{
	size_t ndata = (size_t)reply_head[4], nbytes = (size_t)reply_head[5];
	size_t total = sizeof(reply_head) + ndata * 8 + nbytes;
	static unsigned char *out;
	static size_t out_cap;

	if (total > out_cap) {
		free(out);
		out_cap = total * 2;
		out = malloc(out_cap);
		if (!out)
			die("malloc");
	}
	memcpy(out, reply_head, sizeof(reply_head));
	memcpy(out + sizeof(reply_head), reply_data, ndata * 8);
	memcpy(out + sizeof(reply_head) + ndata * 8, reply_bytes, nbytes);
	write_full(out, total);
}

static void reply(int64_t ret)
{
	memset(reply_head, 0, sizeof(reply_head));
	reply_head[0] = HMMFUZZ_EXEC_OUTCOME;
	reply_head[1] = ret;
}

/* The executor could not do its part: not a kernel verdict (the host's ExecutorException). */
static void failed(const char *fmt, unsigned long a, unsigned long b)
{
	int n;

	memset(reply_head, 0, sizeof(reply_head));
	reply_head[0] = HMMFUZZ_EXEC_FAILED;
	n = snprintf((char *)reply_bytes, reply_bytes_cap, fmt, a, b);
	reply_head[5] = n < 0 ? 0 : n >= (int)reply_bytes_cap ? (int64_t)reply_bytes_cap - 1 : n;
}

static long sys_result(long r)
{
	return r < 0 ? -errno : r;
}

/* mmap of bytes (page-rounded) read-write, then one PROT_NONE guard page: overruns fault. */
static unsigned long guarded(unsigned long bytes)
{
	unsigned long size = (bytes + PAGE - 1) / PAGE * PAGE;
	void *a = mmap(NULL, size + PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (a == MAP_FAILED)
		die("mmap of an ioctl buffer");
	if (mprotect((char *)a + size, PAGE, PROT_NONE))
		die("mprotect of a guard page");
	madvise(a, size, MADV_NOHUGEPAGE);
	return (unsigned long)a;
}

static int handle_ok(uint64_t h)
{
	return h < MAX_HANDLES && fds[h] >= 0;
}

static void do_mmap(const uint64_t *a)
{
	unsigned long addr = a[0], size = a[1];
	int fd = -1, close_after = 0;
	void *r;

	if (a[4] == HMMFUZZ_FD_MEMFD) {
		fd = hmmfuzz_memfd((long)size);
		if (fd < 0) {
			failed("memfd_create/ftruncate failed: errno %lu", (unsigned long)-fd, 0);
			return;
		}
		close_after = 1;
	} else if (a[4] == HMMFUZZ_FD_HANDLE) {
		if (!handle_ok(a[5])) {
			failed("fd handle %lu is not open", a[5], 0);
			return;
		}
		fd = fds[a[5]];
	}
	r = mmap((void *)addr, size, (int)a[2], (int)a[3], fd, 0);
	if (close_after)
		close(fd); /* the mapping keeps the file */
	if (r == MAP_FAILED) {
		reply(-errno);
		return;
	}
	if ((unsigned long)r != addr) {
		munmap(r, size);
		failed("mmap placed a mapping at 0x%lx, not 0x%lx (MAP_FIXED_NOREPLACE unsupported?)",
		       (unsigned long)r, addr);
		return;
	}
	if ((int64_t)a[6] >= 0 && madvise(r, size, (int)a[6])) {
		failed("madvise after mmap failed: errno %lu", (unsigned long)errno, 0);
		return;
	}
	reply(0);
}

static void do_ioctl(const uint64_t *a)
{
	struct hmm_dmirror_cmd cmd;
	unsigned long mode = a[4], count = a[5];
	int r;

	if (!handle_ok(a[0])) {
		failed("fd handle %lu is not open", a[0], 0);
		return;
	}
	if ((mode == HMMFUZZ_BUF_SNAPSHOT && count > (unsigned long)snapshot_bytes) ||
	    ((mode == HMMFUZZ_BUF_WRITE || mode == HMMFUZZ_BUF_PAGES_OUT) && count > (unsigned long)buffer_pages)) {
		failed("an ioctl buffer of %lu (mode %lu) is larger than the executor's", count, mode);
		return;
	}
	if (mode == HMMFUZZ_BUF_SNAPSHOT)
		memset((void *)snapshot_buffer, (int)a[6], count);
	else if (mode == HMMFUZZ_BUF_WRITE)
		hmmfuzz_fill_pages(page_buffer, (long)count, a[6], 1);
	else if (mode == HMMFUZZ_BUF_PAGES_OUT)
		hmmfuzz_fill_pages(page_buffer, (long)count, a[6], 0);
	cmd.addr = a[2];
	cmd.ptr = mode == HMMFUZZ_BUF_SNAPSHOT ? snapshot_buffer : page_buffer;
	cmd.npages = a[3];
	cmd.cpages = a[8];
	cmd.faults = a[8];
	r = ioctl(fds[a[0]], (unsigned long)a[1], &cmd);
	reply(r < 0 ? -errno : r);
	reply_head[2] = (int64_t)cmd.cpages;
	reply_head[3] = (int64_t)cmd.faults;
	if (mode == HMMFUZZ_BUF_PAGES_OUT) {
		hmmfuzz_decode_pages(page_buffer, (long)count, (unsigned long *)reply_data, a[7]);
		reply_head[4] = (int64_t)count;
	} else if (mode == HMMFUZZ_BUF_SNAPSHOT) {
		memcpy(reply_bytes, (void *)snapshot_buffer, count);
		reply_head[5] = (int64_t)count;
	}
}

static void do_open(const uint64_t *a)
{
	char path[64];
	int fd;

	if (a[0] >= MAX_HANDLES || fds[a[0]] >= 0) {
		failed("fd handle %lu is out of range or open", a[0], 0);
		return;
	}
	snprintf(path, sizeof(path), "/dev/hmm_dmirror%lu", (unsigned long)a[1]);
	fd = a[2] ? hmmfuzz_open_orphan(path) : open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		reply(a[2] ? fd : -errno);
		return;
	}
	fds[a[0]] = fd;
	reply(0);
}

/*
 * The arena first, then the fds, in the order process exit uses (exit_mm before exit_files):
 * closing first would make each release evict device pages from a state the model never checked
 * for hazards. Then RELEASE of the coherent devices, so that the next sequence carves their chunk
 * afresh (the host's model starts so).
 */
static void do_reset(const uint64_t *a)
{
	int h, dev, r = munmap((void *)a[0], a[1]);
	int err = errno;

	for (h = 0; h < MAX_HANDLES; h++) {
		if (fds[h] >= 0)
			close(fds[h]);
		fds[h] = -1;
	}
	if (r) {
		failed("munmap of the arena failed: errno %lu", (unsigned long)err, 0);
		return;
	}
	for (dev = 2; a[2] && dev <= 3; dev++) {
		struct hmm_dmirror_cmd cmd = { .addr = a[0], .ptr = page_buffer, .npages = 1 };
		char path[64];
		int fd;

		snprintf(path, sizeof(path), "/dev/hmm_dmirror%d", dev);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue; /* booted without the coherent devices */
		r = ioctl(fd, (unsigned long)a[2], &cmd);
		err = errno;
		close(fd);
		if (r) {
			failed("RELEASE of hmm_dmirror%lu failed: errno %lu", (unsigned long)dev, (unsigned long)err);
			return;
		}
	}
	reply(0);
}

static void perform(uint64_t op, const uint64_t *a)
{
	int sig;

	switch (op) {
	case HMMFUZZ_OP_MMAP:
		do_mmap(a);
		break;
	case HMMFUZZ_OP_MUNMAP:
		reply(sys_result(munmap((void *)a[0], a[1])));
		break;
	case HMMFUZZ_OP_MPROTECT:
		reply(sys_result(mprotect((void *)a[0], a[1], (int)a[2])));
		break;
	case HMMFUZZ_OP_MADVISE:
		reply(sys_result(madvise((void *)a[0], a[1], (int)a[2])));
		break;
	case HMMFUZZ_OP_MREMAP: {
		void *r = mremap((void *)a[0], a[1], a[1], (int)a[2], (void *)a[3]);

		if (r == MAP_FAILED)
			reply(-errno);
		else if ((unsigned long)r != a[3])
			failed("mremap moved to 0x%lx, not 0x%lx", (unsigned long)r, a[3]);
		else
			reply(0);
		break;
	}
	case HMMFUZZ_OP_CPU_READ:
	case HMMFUZZ_OP_CPU_WRITE:
		/* a fault the model did not expect is the executor's error, not this process's death */
		sig = sigsetjmp(fault_jump, 1);
		if (sig) {
			guarding = 0;
			failed("a CPU access at 0x%lx faulted (signal %lu)", a[0], (unsigned long)sig);
			break;
		}
		guarding = 1;
		if (op == HMMFUZZ_OP_CPU_READ) {
			hmmfuzz_decode_pages(a[0], 1, (unsigned long *)reply_data, a[1]);
			guarding = 0;
			reply(0);
			reply_head[4] = 1;
		} else {
			hmmfuzz_fill_pages(a[0], 1, a[1], 0);
			guarding = 0;
			reply(0);
		}
		break;
	case HMMFUZZ_OP_FORK_WRITE: {
		int status = hmmfuzz_fork_write(a[0], a[1]);

		if (status < 0)
			failed("fork/waitpid failed: errno %lu", (unsigned long)-status, 0);
		else
			reply(status);
		break;
	}
	case HMMFUZZ_OP_OPEN:
		do_open(a);
		break;
	case HMMFUZZ_OP_CLOSE:
		if (!handle_ok(a[0])) {
			failed("close of fd handle %lu that is not open", a[0], 0);
			break;
		}
		reply(sys_result(close(fds[a[0]])));
		fds[a[0]] = -1;
		break;
	case HMMFUZZ_OP_IOCTL:
		do_ioctl(a);
		break;
	case HMMFUZZ_OP_RESET:
		do_reset(a);
		break;
	default:
		failed("unknown operation %lu", (unsigned long)op, 0);
	}
}

int main(int argc, char **argv)
{
	uint64_t hello[2] = { HMMFUZZ_EXEC_MAGIC, HMMFUZZ_EXEC_VERSION };
	struct sigaction sa;
	int h;

	if (argc != 4) {
		fprintf(stderr, "usage: hmmfuzz_exec PORT BUFFER_PAGES SNAPSHOT_BYTES\n");
		return 2;
	}
	buffer_pages = atol(argv[2]);
	snapshot_bytes = atol(argv[3]);
	for (h = 0; h < MAX_HANDLES; h++)
		fds[h] = -1;
	page_buffer = guarded((unsigned long)buffer_pages * PAGE);
	snapshot_buffer = guarded((unsigned long)snapshot_bytes);
	reply_data = calloc((size_t)buffer_pages + 1, sizeof(uint64_t));
	reply_bytes_cap = (size_t)snapshot_bytes + 512;
	reply_bytes = malloc(reply_bytes_cap);
	if (!reply_data || !reply_bytes)
		die("malloc");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	if (strcmp(argv[1], "-") == 0) {
		port_in = 0;
		port_out = 1;
	} else {
		port_in = port_out = open(argv[1], O_RDWR | O_CLOEXEC);
		if (port_in < 0)
			die(argv[1]);
	}
	write_full(hello, sizeof(hello));
	for (;;) {
		uint64_t req[1 + HMMFUZZ_EXEC_ARGS];

		read_full(req, sizeof(req));
		if (req[0] == HMMFUZZ_OP_QUIT)
			break;
		perform(req[0], req + 1);
		send_reply();
	}
	/* what the last sequence left (mappings, fds) goes with the process */
	return 0;
}
