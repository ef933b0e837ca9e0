/* Store the run's results in the non-volatile UEFI variable
 * MemcryptLastRun-b7bb194e-983f-4bfb-a4e5-bf862992506d (lib/bios/lastrun.h)
 * through the runtime services, so they survive the reset on real boxes.
 * Called from kmain right before kernel_exit. */
#ifndef MC_KERNEL_PERSIST_H
#define MC_KERNEL_PERSIST_H
#include "kernel/kernel.h"

void kernel_persist_results(struct kernel_ctx *k);

#endif
