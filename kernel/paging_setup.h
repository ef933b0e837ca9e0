#ifndef MC_KERNEL_PAGING_SETUP_H
#define MC_KERNEL_PAGING_SETUP_H
#include "kernel/kernel.h"
#include "arch/x86/paging.h"

struct kernel_paging {
	struct pt pt;
	struct pt_encoding enc;
};

/* Build, audit and load the identity map; false (with a FAIL reported) if
 * anything is wrong, in which case the firmware's tables stay in use. */
bool kernel_paging_setup(struct kernel_ctx *k, struct kernel_paging *out);
unsigned int kernel_max_pa(void);

#endif
