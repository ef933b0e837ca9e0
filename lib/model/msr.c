/* RDMSR/WRMSR dispatch. The Intel TME registers have their own rules
 * (tme_msr.c); every other MSR exists only if the profile lists it
 * (unlisted, or listed as `gp`: #GP, as real hardware does - FACTS.md), is
 * per CPU, starts at its reset value and keeps what is written, except:
 *   - SEV_STATUS (C001_0131h) is read-only: a write #GPs; so are, on
 *     Intel, MSR 87h (the TDX KeyID split) and SEAMRR (1400h/1401h), which
 *     the BIOS locks;
 *   - SYSCFG (C001_0010h) bit 23 MemEncryptionModEn can be set only when
 *     CPUID 8000_001Fh EAX[0] enumerates SME (AMD seed "SME technical
 *     details" step 1-2); otherwise the write #GPs as for a reserved bit. */
#include "lib/model/state.h"
#include "arch/x86/msr-index.h"

static int find(struct mc_model_state *s, u32 msr)
{
	const struct mc_profile_msr *m = mc_profile_find_msr(&s->profile, msr);
	if (!m || (m->flags & MC_PROFILE_MSR_GP))
		return -1;
	return (int)(m - s->profile.msr);
}

int st_rdmsr(struct mc_model_state *s, u32 cpu, u32 msr, u64 *val)
{
	int fault, i;

	if (s->vendor == MC_MODEL_VENDOR_INTEL && st_tme_rdmsr(s, cpu, msr, val, &fault))
		return fault;
	i = find(s, msr);
	if (i < 0)
		return X86_TRAP_GP;
	*val = st_cpu(s, cpu)->msr[i];
	return 0;
}

u32 st_mktme_keyid_limit(struct mc_model_state *s)
{
	int i = find(s, MSR_IA32_MKTME_KEYID_PARTITIONING);
	u32 nr_mktme = i < 0 ? 0 : (u32)s->profile.msr[i].value;
	return nr_mktme ? nr_mktme : 0xffffffffu;
}

int st_wrmsr(struct mc_model_state *s, u32 cpu, u32 msr, u64 val)
{
	int fault, i;

	if (s->vendor == MC_MODEL_VENDOR_INTEL && st_tme_wrmsr(s, cpu, msr, val, &fault))
		return fault;
	i = find(s, msr);
	if (i < 0)
		return X86_TRAP_GP;
	/* Read-only: SEV_STATUS; the KeyID split and SEAMRR the BIOS locked. */
	if (s->vendor == MC_MODEL_VENDOR_AMD && msr == MSR_AMD64_SEV)
		return X86_TRAP_GP;
	if (s->vendor == MC_MODEL_VENDOR_INTEL && (msr == MSR_IA32_MKTME_KEYID_PARTITIONING ||
						  msr == MSR_IA32_SEAMRR_PHYS_BASE || msr == MSR_IA32_SEAMRR_PHYS_MASK))
		return X86_TRAP_GP;
	if (s->vendor == MC_MODEL_VENDOR_AMD && msr == MSR_AMD64_SYSCFG &&
	    (val & MSR_AMD64_SYSCFG_MEM_ENCRYPT) && !st_sme_supported(s))
		return X86_TRAP_GP;
	st_cpu(s, cpu)->msr[i] = val;
	return 0;
}
