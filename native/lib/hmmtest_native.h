/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HMMTEST_NATIVE_H
#define HMMTEST_NATIVE_H

/* Bumped when a function's signature changes; the Java side checks it at load time. */
#define HMMTEST_NATIVE_ABI 1

int hmmtest_native_abi(void);

#endif
