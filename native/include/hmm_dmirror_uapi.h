/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test_hmm driver's ioctl interface (the kernel's lib/test_hmm_uapi.h), defined once for the
 * project's C code: libhmmtest_native, read_bench and every generated C reproducer (which inlines
 * this file, so it builds without a kernel tree). The Java twin is hmmtest.uapi.Command;
 * UapiHeaderTest checks that the two agree.
 */
#ifndef HMM_DMIRROR_UAPI_H
#define HMM_DMIRROR_UAPI_H

#include <stdint.h>
#include <sys/ioctl.h>

/* The command block: the driver reads addr, ptr, npages and writes cpages and faults back. */
struct hmm_dmirror_cmd {
	uint64_t addr;
	uint64_t ptr;
	uint64_t npages;
	uint64_t cpages;
	uint64_t faults;
};

#define HMM_DMIRROR_REQUEST(nr) _IOWR('H', (nr), struct hmm_dmirror_cmd)

#define HMM_DMIRROR_READ		HMM_DMIRROR_REQUEST(0x00)
#define HMM_DMIRROR_WRITE		HMM_DMIRROR_REQUEST(0x01)
#define HMM_DMIRROR_MIGRATE_TO_DEV	HMM_DMIRROR_REQUEST(0x02)
#define HMM_DMIRROR_MIGRATE_TO_SYS	HMM_DMIRROR_REQUEST(0x03)
#define HMM_DMIRROR_SNAPSHOT		HMM_DMIRROR_REQUEST(0x04)
#define HMM_DMIRROR_EXCLUSIVE		HMM_DMIRROR_REQUEST(0x05)
#define HMM_DMIRROR_CHECK_EXCLUSIVE	HMM_DMIRROR_REQUEST(0x06)
#define HMM_DMIRROR_RELEASE		HMM_DMIRROR_REQUEST(0x07)
/* 7.3 only; 6.12 answers EINVAL */
#define HMM_DMIRROR_FLAGS		HMM_DMIRROR_REQUEST(0x08)
#define HMM_DMIRROR_READ_UNLOCKED	HMM_DMIRROR_REQUEST(0x09)

/* FLAGS bit: device page allocation fails (7.3) */
#define HMM_DMIRROR_FLAG_FAIL_ALLOC	1UL

#endif /* HMM_DMIRROR_UAPI_H */
