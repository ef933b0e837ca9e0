/* What the files of lib/bios share; nothing outside lib/bios includes it. */
#ifndef MC_BIOS_INTERNAL_H
#define MC_BIOS_INTERNAL_H
#include "lib/bios/program.h"

#define MC_BIOS_MAX_CPUS 1024   /* efi/mp.c's bound */
#define MC_BIOS_MAX_PKGS 16

struct bios_run {
	const struct mc_platform *p;
	const struct mc_policy *pol;
	struct mc_results *res;
	const struct mc_facts *f;
	struct mc_bios_report *out;
	u64 ram_top;                      /* 0: unknown */
};

/* Every WRMSR of the sequence goes through here: counted, and through the
 * platform's fault-safe path (0 or a vector). */
int  bios_wrmsr(struct bios_run *r, int cpu, u32 msr, u64 v);   /* common.c */
/* The vendors' halves, called by mc_bios_run (program.c). */
void bios_run_tme(struct bios_run *r);   /* tme.c */
void bios_run_sme(struct bios_run *r);   /* sme.c */

#endif
