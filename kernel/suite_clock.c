/* The kernel suites' time budget (issue 7: the kernel part of a default run
 * stays well under 10 s of TCG time): the TSC is read before the first suite
 * and after the last, and converted with a 10 ms calibration against the
 * PIT (channel 2, 1.193182 MHz, the one timer every PC and QEMU has). */
#include "kernel/kernel.h"
#include "arch/x86/cpu.h"

#define PIT_HZ        1193182u
#define CALIB_TICKS   (PIT_HZ / 100)        /* 10 ms */

static u64 tsc_start;
static u64 tsc_per_ms;

/* TSC ticks in 10 ms of PIT channel 2 (mode 0: OUT2 goes high at terminal
 * count, read on port 0x61 bit 5); 0 if the PIT never answered. */
static u64 calibrate(void)
{
	u8 gate = inb(0x61);
	outb(0x61, (u8)((gate & ~0x02) | 0x01));    /* speaker off, gate on */
	outb(0x43, 0xb0);                            /* ch2, lo/hi, mode 0, binary */
	outb(0x42, CALIB_TICKS & 0xff);
	outb(0x42, CALIB_TICKS >> 8);
	u64 t0 = rdtsc(), t1 = t0;
	for (u64 spins = 0; spins < 100000000ULL; spins++) {
		if (inb(0x61) & 0x20) {
			t1 = rdtsc();
			break;
		}
	}
	outb(0x61, gate);
	return t1 > t0 ? (t1 - t0) / 10 : 0;
}

void suite_clock_start(struct kernel_ctx *k);
void suite_clock_start(struct kernel_ctx *k)
{
	tsc_per_ms = calibrate();
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
