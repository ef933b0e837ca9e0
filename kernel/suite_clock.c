/* The kernel suites' time budget (issue 7: the kernel part of a default run
 * stays well under 10 s of TCG time): the TSC is read before the first suite
 * and after the last, and converted with kernel/delay.c's 10 ms
 * calibration against the PIT. */
#include "kernel/kernel.h"
#include "kernel/delay.h"
#include "arch/x86/cpu.h"
#include "kernel/platform_smp.h"
#include "lib/fmt.h"
#include "lib/mem.h"

static u64 tsc_start;
static u64 tsc_per_ms;

/* Each suite's own time, for the line that says where the time went (a
 * scale profile's extra time is in pconfig and percpu: scripts/bench-scale). */
#define MAX_LAPS 16
static struct { const char *name; u64 cycles; } laps[MAX_LAPS];
static u32 nlaps;

void suite_clock_lap(const char *name, u64 cycles)
{
	if (nlaps < MAX_LAPS)
		laps[nlaps++] = (typeof(laps[0])){ name, cycles };
}

static void report_laps(struct kernel_ctx *k)
{
	char line[MC_RESULT_DETAIL_MAX];
	size_t at = 0;
	line[0] = 0;
	for (u32 i = 0; i < nlaps && at + 1 < sizeof(line); i++) {
		/* clock and elapsed are this file's bookends, not suites */
		if (!mc_strcmp(laps[i].name, "clock"))
			continue;
		u64 tenths = laps[i].cycles * 10 / tsc_per_ms;
		int n = mc_snprintf(line + at, sizeof(line) - at, "%s%s %llu.%llu", at ? ", " : "", laps[i].name,
				    (unsigned long long)(tenths / 10), (unsigned long long)(tenths % 10));
		if (n < 0)
			break;
		at += (size_t)n;
	}
	mc_report(k->res, MC_INFO, "kernel.suite_times", "ms per suite: %s", line);
}

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
		report_laps(k);
	kmodel_report_dram(k);
	if (tsc_per_ms)
		mc_report(k->res, MC_INFO, "kernel.elapsed", "kernel suites took %llu ms (%llu TSC cycles, %llu cycles/ms by the PIT)",
			  (unsigned long long)(cycles / tsc_per_ms), (unsigned long long)cycles,
			  (unsigned long long)tsc_per_ms);
	else
		mc_report(k->res, MC_INFO, "kernel.elapsed", "kernel suites took %llu TSC cycles (PIT calibration failed)",
			  (unsigned long long)cycles);
}
