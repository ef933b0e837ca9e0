/* checks: the same check library as the UEFI stage and `memcrypt check`,
 * run again after the handoff: what the kernel sees must agree with what
 * the stage programmed or validated. */
#include "kernel/kernel.h"
#include "lib/checks/checks.h"

static struct mc_facts facts;

void suite_checks(struct kernel_ctx *k);
void suite_checks(struct kernel_ctx *k)
{
	mc_checks_run(&k->plat, NULL, &facts, k->res);
}

const struct mc_facts *kernel_facts(void)
{
	return &facts;
}
