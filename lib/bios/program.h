/* The BIOS stage's programming sequence: one freestanding library that the
 * UEFI stage (efi/bios.c, hw or model) and `memcrypt program` (host, model)
 * both call. docs/bios-stage.md has the sequence with the seed citations.
 *
 * Intel (CPUID.7.0:ECX[13], Intel seed 4.1.1), per package:
 *   locked already            -> no write; PASS bios.locked ("validating,
 *                                not writing"); the check library judges
 *   unlocked, mode=validate   -> no write; INFO
 *   unlocked, mode=program    -> policy checked against the platform (no
 *                                write on error), then
 *     1. IA32_TME_EXCLUDE_BASE, IA32_TME_EXCLUDE_MASK (before ACTIVATE,
 *        Intel seed 4.2.1 note), read back;
 *     2. IA32_TME_ACTIVATE, read back and interpreted by Table 4-3;
 *   then, after a successful activation, MK_TME_CORE_ACTIVATE = 0 on every
 *   core with the core's KeyID-bits field read back against its package
 *   (Intel seed 4.2.3).
 * AMD (CPUID 0x8000001F EAX[0]): SYSCFG[23] MemEncryptionModEn set on every
 * core when the policy asks and it is clear (AMD seed "SME technical
 * details" step 2).
 * Every WRMSR goes through the platform's fault-safe path: a #GP is a FAIL
 * result, never a crash. Results carry ids "bios.*". */
#ifndef MC_BIOS_PROGRAM_H
#define MC_BIOS_PROGRAM_H
#include "lib/types.h"
#include "lib/platform.h"
#include "lib/policy.h"
#include "lib/report.h"
#include "lib/checks/checks.h"

enum mc_bios_outcome {
	MC_BIOS_NOTHING = 0,     /* neither TME nor SME enumerated: nothing to do */
	MC_BIOS_PROGRAMMED,      /* written and read back as the policy asked */
	MC_BIOS_VALIDATING,      /* locked (or already set) by the BIOS: no write */
	MC_BIOS_LEFT,            /* mode=validate (or sme=off) on an unlocked platform: no write */
	MC_BIOS_BAD_POLICY,      /* the policy asks what this platform cannot do: no write */
	MC_BIOS_FAILED,          /* a write faulted or read back wrong */
};

struct mc_bios_report {
	enum mc_bios_outcome outcome;
	u32 writes;              /* WRMSRs attempted */
	u32 cpus_activated;      /* cores whose MK_TME_CORE_ACTIVATE / SYSCFG read back right */
	char error[200];         /* the policy error for MC_BIOS_BAD_POLICY */
};

/* The TME register values a policy asks for on a platform. */
struct mc_bios_plan {
	u64  activate;           /* IA32_TME_ACTIVATE to write */
	u8   keyid_bits;         /* MK_TME_KEYID_BITS in it */
	u8   keyid_bits_max;     /* MK_TME_MAX_KEYID_BITS when keyid-bits=max was capped, else 0 */
	u8   ram_bits;           /* address bits the RAM top needs (0: RAM top unknown) */
	bool exclude;            /* write the exclusion MSRs */
	u64  exclude_base, exclude_mask;
};

/* Platform checks of the policy (KeyID bits, algorithms, bypass against
 * IA32_TME_CAPABILITY; the exclusion range against MAXPHYADDR) and the
 * values to write. false with err naming the setting's line or argument.
 * ram_top is where RAM ends (0: unknown): KeyID bits take the top of
 * MAXPHYADDR (Intel seed 5.1), so keyid-bits=max is capped to what leaves
 * RAM addressable and a keyid-bits=N that would not is refused. */
bool mc_bios_plan_tme(const struct mc_policy *pol, const struct mc_tme_cap *cap, u8 phys_bits, u64 ram_top,
		      struct mc_bios_plan *plan, char *err, size_t errlen);

/* Run the sequence. ram_top: where RAM ends (0: unknown), for the KeyID
 * bits (mc_bios_plan_tme). Results go to res; returns out->outcome. */
enum mc_bios_outcome mc_bios_run(const struct mc_platform *p, const struct mc_policy *pol, u64 ram_top,
				 struct mc_results *res, struct mc_bios_report *out);

const char *mc_bios_outcome_name(enum mc_bios_outcome o);

/* "0-3", "0,2-3": the CPUs whose bit is set in a list of flags. */
void mc_bios_cpu_list(const bool *set, int n, char *out, size_t outlen);

#endif
