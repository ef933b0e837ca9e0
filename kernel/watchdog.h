#ifndef MC_KERNEL_WATCHDOG_H
#define MC_KERNEL_WATCHDOG_H
#include "lib/report.h"

/* Measure the LAPIC timer; false if it does not count (no watchdog then). */
bool watchdog_init(struct mc_results *res);
u64  watchdog_ticks_per_ms(void);
/* Arm for name with a bound of ms (interrupts on while armed). */
void watchdog_arm(const char *name, u32 ms);
void watchdog_disarm(void);

#endif
