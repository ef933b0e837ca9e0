/* Helpers shared by tests/unit/test_checks*.c: build the real model from a
 * profile text written in the test, optionally behind a shim platform that
 * makes one CPU unreachable or one MSR fault, run lib/checks and look up a
 * result by id. */
#ifndef MC_TEST_CHECKS_H
#define MC_TEST_CHECKS_H
#include "lib/checks/checks.h"
#include "lib/model/model.h"

struct chk {
	void *state;                 /* the model's state blob */
	struct mc_platform model;    /* the model as attached */
	struct mc_platform plat;     /* what the checks see (shim over model) */
	int unreachable_cpu;         /* rdmsr on it: MC_PLAT_ENOSYS (-1: none) */
	u32 fault_msr;               /* rdmsr of it: #GP ... */
	int fault_cpu;               /* ... on this CPU (-1: every CPU) */
	u32 ovr_leaf;                /* CPUID leaf answered by ovr instead (0: none), */
	struct cpuid_regs ovr;       /* for values the model refuses to build */
	struct mc_facts facts;
	struct mc_results res;
};

/* NULL (and a FAIL line) if the profile does not parse or the model refuses. */
struct chk *chk_new(const char *profile_text);
void chk_free(struct chk *c);
void chk_run(struct chk *c, const struct mc_check_input *in);
const struct mc_result *chk_find(const struct chk *c, const char *id);
/* EXPECT that result `id` has verdict v and its detail contains `has`
 * (NULL: anything); `why` names the seed rule or case. */
bool chk_expect(const struct chk *c, const char *id, enum mc_verdict v, const char *has, const char *why);
/* One table row: build the model from profile_text, run the checks and
 * expect result id with verdict v and detail containing has. row and why
 * name the row in the message. */
bool chk_row(size_t row, const char *profile_text, const char *id, enum mc_verdict v, const char *has,
	     const char *why);

/* Profile texts with the fields the tests vary. Strings are MSR values as
 * the profile writes them ("0x..." or "gp"); NULL omits the line. */
struct intel_prof {
	u32 max_basic, leaf7_ecx, leaf7_edx, l1b_eax, l1b_ebx, phys, leaf1_ecx;
	const char *cap, *act, *mask, *base, *core;
	int cpus, packages;
	const char *extra;
};
struct amd_prof {
	u32 max_basic, max_ext, eax, ebx, ecx, edx, phys, leaf1_ecx;
	const char *syscfg, *sev_status;
	int cpus;
	const char *extra;
};
extern const struct intel_prof INTEL_LOCKED;   /* MKTME on, 6 KeyID bits of 46, 4 CPUs */
extern const struct amd_prof AMD_SME_ON;       /* SME enabled, C-bit 47, reduction 5 */
const char *intel_text(const struct intel_prof *p);   /* static buffer */
const char *amd_text(const struct amd_prof *p);

#endif
