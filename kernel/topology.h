/* Where a CPU sits, read by that CPU itself from CPUID: its x2APIC ID and
 * the bits above the package level (Intel: leaf 0x1F, else 0xB, the leaf
 * the seed's 7.4 note names; AMD: 0xB, else 0x80000008 ECX ApicIdSize;
 * older parts: CPUID.1 EBX[23:16] logical processors per package). */
#ifndef MC_KERNEL_TOPOLOGY_H
#define MC_KERNEL_TOPOLOGY_H
#include "lib/types.h"

struct ktopo {
	u32 apic_id;        /* x2APIC ID (0xB/0x1F EDX) or CPUID.1 EBX[31:24] */
	u32 pkg_shift;      /* package ID = apic_id >> pkg_shift */
	u32 pkg_id;
	char leaf[12];      /* "0x1f", "0xb", "0x80000008", "0x1" */
};

/* On the CPU to be described (run it there through on_cpu). */
void ktopo_self(struct ktopo *t);

#endif
