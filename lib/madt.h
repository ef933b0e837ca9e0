/* The processors the firmware lists in the ACPI MADT ("APIC" table, ACPI
 * 6.x 5.2.12): Processor Local APIC (type 0) and Processor Local x2APIC
 * (type 9) entries, enabled or online-capable, deduplicated by APIC ID;
 * the local APIC address (type 5 override wins). Pure: tables are reached
 * through a caller's physical-to-pointer function, so the host tests run
 * the code the kernel runs, on hand-made tables. */
#ifndef MC_MADT_H
#define MC_MADT_H
#include "lib/types.h"

#define MC_MADT_MAX_CPUS 1024

struct mc_madt {
	u64 lapic_addr;
	u32 count;                      /* usable processors listed */
	u32 disabled;                   /* entries neither enabled nor online-capable */
	u32 apic_id[MC_MADT_MAX_CPUS];
	u8  x2apic[MC_MADT_MAX_CPUS];   /* 1: from a type 9 entry */
	u32 overflow;                   /* usable entries beyond MC_MADT_MAX_CPUS */
};

/* NULL if [pa, pa+len) cannot be read. */
typedef const void *(*mc_phys_fn)(void *arg, u64 pa, size_t len);

/* 0, or -1 with err naming the step (RSDP, XSDT/RSDT, checksum, no MADT). */
int mc_madt_read(u64 rsdp, mc_phys_fn phys, void *arg, struct mc_madt *out, char *err, size_t errlen);

#endif
