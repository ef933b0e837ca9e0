#ifndef MC_KERNEL_SHOOTDOWN_H
#define MC_KERNEL_SHOOTDOWN_H
#include "lib/types.h"

/* INVLPG linear here and, by IPI, on every other CPU that is up; returns
 * how many CPUs acknowledged (this one included); *missing = the first CPU
 * that did not within the bound, or -1. */
int kshootdown(u64 linear, int *missing);

#endif
