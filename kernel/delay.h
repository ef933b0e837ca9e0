/* Time for the kernel: the TSC, calibrated once against the PIT (channel
 * 2, 1.193182 MHz, the one timer every PC and QEMU has). Bounds and the
 * architectural INIT/SIPI delays (kernel/smp.c) use it. */
#ifndef MC_KERNEL_DELAY_H
#define MC_KERNEL_DELAY_H
#include "lib/types.h"

/* Calibrate (10 ms of PIT); idempotent. 0 if the PIT never answered, and
 * then a fixed 1 GHz guess is used so bounds stay bounds. */
u64  kdelay_init(void);
u64  ktsc_per_ms(void);
u64  kms_to_tsc(u64 ms);
void kudelay(u64 us);
/* true while rdtsc() < deadline. */
bool kbefore(u64 deadline);

#endif
