#ifndef MC_KERNEL_PLATFORM_SMP_H
#define MC_KERNEL_PLATFORM_SMP_H
#include "kernel/kernel.h"

/* Attach the stage's model and fill k->plat with the per-CPU wrapper
 * (kernel/platform_smp.c). 0, or -1 if the state does not validate. */
int   kmodel_attach(struct kernel_ctx *k);
void  kmodel_report_map(struct kernel_ctx *k);
/* The attached state (for lib/model's read-only records), or NULL. */
void *kmodel_state(void);
/* Which real CPU executed the last model PCONFIG, as which model CPU. */
void  kmodel_last_pconfig(int *real_cpu, int *model_cpu);

#endif
