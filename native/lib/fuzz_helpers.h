/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HMMTEST_FUZZ_HELPERS_H
#define HMMTEST_FUZZ_HELPERS_H

/*
 * C helpers of the differential fuzzer (hmmtest.fuzz.FuzzNative). Separate from
 * hmmtest_native.h: bumped only when one of these signatures changes.
 */
#define HMMFUZZ_ABI 3

int hmmfuzz_abi(void);

/*
 * fork(); the child stores the content pattern of token over the 4096-byte page at addr (the
 * same pattern as hmmtest.model.PageContent) and _exit(0)s; the parent waits for it.
 * Returns the child's wait status (0: exited 0), or -errno if fork or waitpid failed.
 */
int hmmfuzz_fork_write(unsigned long addr, unsigned long token);

/*
 * An open whose opener is gone: a clone that shares our fd table (CLONE_FILES, its own copy of
 * the address space as with fork) opens path O_RDWR|O_CLOEXEC and exits; the parent waits.
 * Returns the fd, now ours and bound to the dead child's mm, or -errno (the open's or the clone's).
 */
int hmmfuzz_open_orphan(const char *path);

/* memfd_create("hmmfuzz", MFD_CLOEXEC) truncated to size bytes: the fd, or -errno. */
int hmmfuzz_memfd(long size);

/*
 * Page i of the npages pages at addr gets the content pattern of token + i * step (step 0: every
 * page the same token). The executor's buffers and CPU writes: a Java loop over 512 words per
 * page cost milliseconds per multi-page ioctl under TCG.
 */
void hmmfuzz_fill_pages(unsigned long addr, long npages, unsigned long token, unsigned long step);

/*
 * out[i] = the token whose pattern page i of the npages pages at addr holds, or garbled
 * (hmmtest.model.PageContent.GARBLED, passed in) if it holds none: PageContent.decode() in C.
 */
void hmmfuzz_decode_pages(unsigned long addr, long npages, unsigned long *out, unsigned long garbled);

#endif
