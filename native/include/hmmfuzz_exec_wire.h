/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HMMFUZZ_EXEC_WIRE_H
#define HMMFUZZ_EXEC_WIRE_H

/*
 * The wire between the host's differential engine (hmmtest.differential.RemoteExecutor, which
 * mirrors these numbers; ExecWireTest checks that they agree) and the guest's C executor
 * (exec/hmmfuzz_exec.c), over the control port. Native byte order (x86-64 on both ends).
 *
 * guest -> host, once, when the port is open: u64 HMMFUZZ_EXEC_MAGIC, u64 HMMFUZZ_EXEC_VERSION.
 * host -> guest, per action: u64 op, u64 arg[HMMFUZZ_EXEC_ARGS].
 * guest -> host, per action: i64 status (HMMFUZZ_EXEC_OUTCOME or HMMFUZZ_EXEC_FAILED), i64 ret,
 *   i64 cpages, i64 faults, i64 ndata, i64 nbytes; then ndata u64 page tokens; then nbytes bytes
 *   (the SNAPSHOT buffer, or the executor's error message when status is HMMFUZZ_EXEC_FAILED).
 */
#define HMMFUZZ_EXEC_MAGIC 0x3143455846554d48UL /* "HMUFXEC1" */
#define HMMFUZZ_EXEC_VERSION 1
#define HMMFUZZ_EXEC_ARGS 9

#define HMMFUZZ_EXEC_OUTCOME 0
#define HMMFUZZ_EXEC_FAILED 1

/* arg: addr, size, prot, flags, fd source, fd handle, advice after (-1: none). ret: 0 or -errno */
#define HMMFUZZ_OP_MMAP 1
/* arg: addr, length. ret: 0 or -errno */
#define HMMFUZZ_OP_MUNMAP 2
/* arg: addr, length, prot */
#define HMMFUZZ_OP_MPROTECT 3
/* arg: addr, length, advice */
#define HMMFUZZ_OP_MADVISE 4
/* arg: old address, length, flags, new address */
#define HMMFUZZ_OP_MREMAP 5
/* arg: addr, garbled token. data: the page's token */
#define HMMFUZZ_OP_CPU_READ 6
/* arg: addr, token */
#define HMMFUZZ_OP_CPU_WRITE 7
/* arg: addr, token. ret: the child's wait status */
#define HMMFUZZ_OP_FORK_WRITE 8
/* arg: fd handle, device path number, orphan (0/1). ret: 0 or -errno */
#define HMMFUZZ_OP_OPEN 9
/* arg: fd handle */
#define HMMFUZZ_OP_CLOSE 10
/*
 * arg: fd handle, request, addr, npages, buffer mode, buffer count (pages, or SNAPSHOT bytes),
 * fill (token, or the SNAPSHOT poison byte), garbled token, cpages/faults poison.
 * ret: the ioctl's return (0 or -errno); cpages and faults as read back.
 */
#define HMMFUZZ_OP_IOCTL 11
/* arg: arena base, arena bytes, RELEASE request (0: none). Everything the actions made is undone. */
#define HMMFUZZ_OP_RESET 12
#define HMMFUZZ_OP_QUIT 13

/* HMMFUZZ_OP_MMAP fd sources */
#define HMMFUZZ_FD_NONE 0
#define HMMFUZZ_FD_MEMFD 1
#define HMMFUZZ_FD_HANDLE 2

/* HMMFUZZ_OP_IOCTL buffer modes */
#define HMMFUZZ_BUF_NONE 0
#define HMMFUZZ_BUF_WRITE 1    /* page i gets the pattern of fill + i */
#define HMMFUZZ_BUF_PAGES_OUT 2 /* poisoned with fill, decoded into data after */
#define HMMFUZZ_BUF_SNAPSHOT 3 /* count bytes of fill, returned as bytes after */

#endif
