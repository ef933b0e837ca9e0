/* The kernel suites' time budget (issue 7: the kernel part of a default run
 * stays well under 10 s of TCG time): the TSC is read before the first suite
 * and after the last, and converted with kernel/delay.c's 10 ms
 * calibration against the PIT. */
#include "kernel/kernel.h"
#include "kernel/delay.h"
#include "arch/x86/cpu.h"

static u64 tsc_start;
static u64 tsc_per_ms;

void suite_clock_start(struct kernel_ctx *k);
void suite_clock_start(struct kernel_ctx *k)
{
	tsc_per_ms = kdelay_init();   /* 0: the PIT never answered */
	tsc_start = rdtsc();
}

void suite_clock_end(struct kernel_ctx *k);
void suite_clock_end(struct kernel_ctx *k)
{
	u64 cycles = rdtsc() - tsc_start;
	if (tsc_per_ms)
		mc_report(k->res, MC_INFO, "kernel.elapsed", "kernel suites took %llu ms (%llu TSC cycles, %llu cycles/ms by the PIT)",
			  (unsigned long long)(cycles / tsc_per_ms), (unsigned long long)cycles,
			  (unsigned long long)tsc_per_ms);
	else
		mc_report(k->res, MC_INFO, "kernel.elapsed", "kernel suites took %llu TSC cycles (PIT calibration failed)",
			  (unsigned long long)cycles);
}
