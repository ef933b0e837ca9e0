#include "kernel/delay.h"
#include "arch/x86/cpu.h"

#define PIT_HZ        1193182u
#define CALIB_TICKS   (PIT_HZ / 100)        /* 10 ms */
#define GUESS_PER_MS  1000000ULL            /* 1 GHz when the PIT is silent */

static u64 per_ms, measured;

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

u64 kdelay_init(void)
{
	if (!per_ms) {
		measured = calibrate();
		per_ms = measured ? measured : GUESS_PER_MS;
	}
	return measured;
}

u64 ktsc_per_ms(void)
{
	return per_ms ? per_ms : GUESS_PER_MS;
}

u64 kms_to_tsc(u64 ms)
{
	return ms * ktsc_per_ms();
}

void kudelay(u64 us)
{
	u64 end = rdtsc() + us * ktsc_per_ms() / 1000;
	while (rdtsc() < end)
		cpu_relax();
}

bool kbefore(u64 deadline)
{
	return rdtsc() < deadline;
}
