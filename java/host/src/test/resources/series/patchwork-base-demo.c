// SPDX-License-Identifier: GPL-2.0
/*
 * Demo driver used by the patchwork page test.
 */
#include <linux/module.h>
#include "demo.h"

static int demo_count;

/**
 * demo_range() - count a range
 * @start: first address
 * @end: end address
 */
int demo_range(unsigned long start, unsigned long end)
{
	demo_count++;
	return (int)((end - start) >> PAGE_SHIFT);
}
EXPORT_SYMBOL_GPL(demo_range);

static int demo_user(void)
{
	int ret;

	/*
	 * The only user: it asks for a single page,
	 * so the range interface was never needed.
	 */
	ret = demo_range(0, PAGE_SIZE);
	if (ret <= 0)
		return -EINVAL;
	return 0;
}
