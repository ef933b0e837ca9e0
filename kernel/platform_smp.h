#ifndef MC_KERNEL_PLATFORM_SMP_H
#define MC_KERNEL_PLATFORM_SMP_H
#include "kernel/kernel.h"

/* Attach the stage's model and fill k->plat with the per-CPU wrapper
 * (kernel/platform_smp.c). 0, or -1 if the state does not validate. */
int   kmodel_attach(struct kernel_ctx *k);
void  kmodel_report_map(struct kernel_ctx *k);
/* kernel.model_dram: on the model, the memory map against what the model
 * stored of it (sparse DRAM: the pages the run wrote); nothing on hw. */
void  kmodel_report_dram(struct kernel_ctx *k);
/* The attached state (for lib/model's read-only records), or NULL. */
void *kmodel_state(void);
/* Which real CPU executed the last model PCONFIG, as which model CPU. */
void  kmodel_last_pconfig(int *real_cpu, int *model_cpu);

#endif
