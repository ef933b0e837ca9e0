/* The top of RAM as Linux booted it: the highest "System RAM" address + 1
 * in DIR/sys/firmware/memmap, or 0 when nothing tells. The checks size the
 * SNP RMP against it (mc_check_input.ram_top). */
#ifndef MC_HOST_RAM_TOP_H
#define MC_HOST_RAM_TOP_H
#include "lib/types.h"

u64 host_ram_top(const char *root);

#endif
