// SPDX-License-Identifier: GPL-2.0
/*
 * libhmmtest_native: C helpers the guest JVM calls through JNA.
 * Only what cannot be done from Java lives here (a forked child of a JVM must not run Java).
 */
#include "hmmtest_native.h"

int hmmtest_native_abi(void)
{
	return HMMTEST_NATIVE_ABI;
}
