/* The kernel's suites, in the order they run. */
#include "kernel/kernel.h"

void suite_boot(struct kernel_ctx *k);

const struct kernel_suite kernel_suites[] = {
	{ "boot", suite_boot },
	{ 0, 0 },
};
