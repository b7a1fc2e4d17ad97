/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HMMTEST_FUZZ_HELPERS_H
#define HMMTEST_FUZZ_HELPERS_H

/*
 * C helpers of the differential fuzzer (hmmtest.fuzz.FuzzNative). Separate from
 * hmmtest_native.h: bumped only when one of these signatures changes.
 */
#define HMMFUZZ_ABI 1

int hmmfuzz_abi(void);

/*
 * fork(); the child stores the content pattern of token over the 4096-byte page at addr (the
 * same pattern as hmmtest.model.PageContent) and _exit(0)s; the parent waits for it.
 * Returns the child's wait status (0: exited 0), or -errno if fork or waitpid failed.
 */
int hmmfuzz_fork_write(unsigned long addr, unsigned long token);

/* memfd_create("hmmfuzz", MFD_CLOEXEC) truncated to size bytes: the fd, or -errno. */
int hmmfuzz_memfd(long size);

#endif
