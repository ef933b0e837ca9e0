#ifndef MC_KERNEL_PANIC_H
#define MC_KERNEL_PANIC_H
#include "arch/x86/cpu.h"

__attribute__((noreturn)) void kernel_fatal_exception(const struct x86_frame *f);
/* Store the results and print the SUMMARY of what ran before the crash
 * (kernel/main.c). */
void kernel_panic_summary(void);
/* The run's results, so the crash itself is counted as a FAIL. */
struct mc_results *kernel_results(void);

#endif
