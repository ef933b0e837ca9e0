/* The LAPIC-timer watchdog (issue 11 item 7): each suite runs with a one-
 * shot timer armed for its bound; if it fires, the suite is past its bound
 * and the run ends with a FAIL naming it and the crash status (never a
 * hang). APs that run past their bound are ended by smp_wait (NMI). The
 * timer's rate is measured against the TSC once. */
#include "kernel/watchdog.h"
#include "kernel/delay.h"
#include "kernel/panic.h"
#include "kernel/exit.h"
#include "kernel/smp.h"
#include "arch/x86/cpu.h"
#include "arch/x86/lapic.h"
#include "lib/report.h"

static u64 ticks_per_ms;           /* LAPIC timer ticks (bus / 16) per ms */
static const char *armed_name;
static u32 armed_ms;
static bool armed;
static struct mc_results *results;

void kernel_panic_summary(void);

bool watchdog_init(struct mc_results *res)
{
	results = res;
	/* 10 ms (TSC, calibrated against the PIT) of the timer counting down
	 * with its LVT masked: the counter runs all the same (SDM 10.5.4). */
	x86_lapic_timer_masked_start(0xffffffffu);
	kudelay(10000);
	u32 left = x86_lapic_timer_current();
	x86_lapic_timer_stop();
	ticks_per_ms = (0xffffffffu - (u64)left) / 10;
	return ticks_per_ms != 0;
}

u64 watchdog_ticks_per_ms(void)
{
	return ticks_per_ms;
}

void watchdog_arm(const char *name, u32 ms)
{
	if (!ticks_per_ms)
		return;
	u64 count = (u64)ms * ticks_per_ms;
	armed_name = name;
	armed_ms = ms;
	armed = true;
	x86_lapic_timer_oneshot(SMP_VEC_TIMER, count > 0xffffffffu ? 0xffffffffu : (u32)count);
	sti();
}

void watchdog_disarm(void)
{
	cli();
	armed = false;
	x86_lapic_timer_stop();
}

void kernel_watchdog_irq(void)
{
	if (!armed || smp_this_cpu() != 0)
		return;
	armed = false;
	cli();
	mc_report(results, MC_FAIL, "kernel.watchdog", "suite %s ran past its bound of %u ms (LAPIC timer): run ended with the crash status",
		  armed_name ? armed_name : "?", armed_ms);
	kernel_panic_summary();
	kernel_exit(KERNEL_CRASH);
}
