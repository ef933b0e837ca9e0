/* checks: the same check library as the UEFI stage and `memcrypt check`,
 * run again after the handoff: what the kernel sees must agree with what
 * the stage programmed or validated. */
#include "kernel/kernel.h"
#include "lib/checks/checks.h"
#include "lib/model/model.h"

static struct mc_facts facts;

void suite_checks(struct kernel_ctx *k);
void suite_checks(struct kernel_ctx *k)
{
	/* The same input the stage gave: the top of RAM (an SNP RMP must cover
	 * it) and, on the model, its DRAM and the profile's OS view (TSME). */
	struct mc_check_input in = {
		.ram_top = mc_mem_ram_top((const void *)(uintptr_t)k->handoff->memmap, k->handoff->memmap_count),
	};
	if (k->on_model) {
		mc_model_check_input((void *)(uintptr_t)k->handoff->model_state, &in);
	}
	mc_checks_run(&k->plat, &in, &facts, k->res);
}

const struct mc_facts *kernel_facts(void)
{
	return &facts;
}
