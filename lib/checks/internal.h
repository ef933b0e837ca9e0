/* Shared between the files of lib/checks only (not a front-end API). */
#ifndef MC_CHECKS_INTERNAL_H
#define MC_CHECKS_INTERNAL_H
#include "lib/checks/checks.h"

/* One MSR read on every CPU 0..cpus-1 and compared, under cmp_mask, with
 * an expected value. CPUs the platform cannot reach (MC_PLAT_ENOSYS) are
 * counted apart: they are never taken as agreeing. */
struct mc_percpu {
	int cpus, read, unreachable, faulted, differ;
	int first_unreachable, first_fault, first_differ;   /* -1 if none */
	int fault;                 /* vector of the first fault */
	u64 expect, differ_val;    /* differ_val: full value on first_differ */
};
void mc_percpu_compare(const struct mc_platform *p, int cpus, u32 msr, u64 expect,
		       u64 cmp_mask, struct mc_percpu *out);

void mc_judge_cpu(const struct mc_facts *f, struct mc_results *res);
void mc_judge_tme(const struct mc_platform *p, const struct mc_facts *f,
		  const struct mc_check_input *in, struct mc_results *res);
void mc_judge_tdx(const struct mc_facts *f, struct mc_results *res);
void mc_judge_pconfig(const struct mc_facts *f, struct mc_results *res);
void mc_judge_sme(const struct mc_facts *f, const struct mc_check_input *in, struct mc_results *res);
/* ram_width.c: tme.ram_addressable / sme.ram_addressable, the RAM top (from
 * in) against the address bits KeyIDs or the SME reduction leave. */
void mc_judge_ram_width(const struct mc_facts *f, const struct mc_check_input *in, struct mc_results *res);
/* os.c: what Linux says (cpuinfo, kernel log, KVM, PSP) against the
 * registers: linux.*, kvm.*, psp.*. Copies the PSP status into f for JSON. */
void mc_judge_os(struct mc_facts *f, const struct mc_os_view *os, struct mc_results *res);

#endif
