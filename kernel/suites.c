/* The kernel's suites, in the order they run. */
#include "kernel/kernel.h"

void suite_boot(struct kernel_ctx *k);
void suite_checks(struct kernel_ctx *k);

const struct kernel_suite kernel_suites[] = {
	{ "boot", suite_boot },
	{ "checks", suite_checks },
	{ 0, 0 },
};
