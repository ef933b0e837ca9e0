/* CPUID as the profile answers it.
 *   - a listed (leaf, subleaf) returns its line;
 *   - leaves the SDM defines as subleaf-indexed return zeros for an
 *     unlisted subleaf; any other leaf ignores ECX (its subleaf-0 line);
 *   - a leaf above the maximum (CPUID.0:EAX for basic, CPUID.80000000H:EAX
 *     for extended leaves) returns the highest basic leaf's data: Intel's
 *     documented rule, and what QEMU does for every vendor (FACTS.md);
 *   - an unlisted leaf within range returns zeros.
 * Per-CPU: the initial APIC ID (leaf 1 EBX[31:24], leaves 0BH/1FH EDX) is
 * the CPU number, so topology code sees distinct CPUs. */
#include "lib/model/state.h"
#include "lib/mem.h"
#include "arch/x86/msr-index.h"

static bool subleaf_indexed(u32 leaf)
{
	static const u32 indexed[] = { 0x4, 0x7, 0xb, 0xd, 0xf, 0x10, 0x12, 0x14, 0x17, 0x18,
				       0x1b, 0x1d, 0x1e, 0x1f, 0x20, 0x23, 0x8000001d, 0x80000020 };
	for (size_t i = 0; i < ARRAY_SIZE(indexed); i++)
		if (indexed[i] == leaf)
			return true;
	return false;
}

static void lookup(const struct mc_profile *p, u32 leaf, u32 sub, struct cpuid_regs *r)
{
	const struct mc_profile_cpuid *c = mc_profile_find_cpuid(p, leaf, sub);
	if (!c && !subleaf_indexed(leaf))
		c = mc_profile_find_cpuid(p, leaf, 0);
	mc_memset(r, 0, sizeof(*r));
	if (c) {
		r->eax = c->eax; r->ebx = c->ebx; r->ecx = c->ecx; r->edx = c->edx;
	}
}

static bool in_range(const struct mc_profile *p, u32 leaf)
{
	struct cpuid_regs max;
	u32 base = leaf & 0xffff0000u;

	if (base != 0 && base != 0x80000000u)      /* hypervisor 4000xxxxH ...: only if listed */
		return mc_profile_find_cpuid(p, leaf, 0) != NULL;
	lookup(p, base, 0, &max);
	return leaf <= max.eax && (base == 0 || max.eax >= base);
}

void st_cpuid(struct mc_model_state *s, u32 cpu, u32 leaf, u32 sub, struct cpuid_regs *r)
{
	const struct mc_profile *p = &s->profile;

	if (!in_range(p, leaf)) {
		struct cpuid_regs max;
		lookup(p, 0, 0, &max);
		leaf = max.eax;
	}
	lookup(p, leaf, sub, r);
	if (leaf == 1)
		r->ebx = (r->ebx & 0x00ffffffu) | (cpu << 24);
	if ((leaf == 0xb || leaf == 0x1f) && (r->eax | r->ebx))
		r->edx = cpu;
}

static u32 reg_of(struct mc_model_state *s, u32 leaf, u32 sub, int which)
{
	struct cpuid_regs r;
	struct cpuid_regs max;
	u32 base = leaf & 0xffff0000u;

	/* Guarded the way callers must guard (FACTS.md): a leaf above the
	 * maximum enumerates nothing. */
	lookup(&s->profile, base, 0, &max);
	if (leaf > max.eax || (base && max.eax < base))
		return 0;
	st_cpuid(s, 0, leaf, sub, &r);
	return which == 0 ? r.eax : which == 1 ? r.ebx : which == 2 ? r.ecx : r.edx;
}

bool st_tme_enumerated(struct mc_model_state *s)
{
	return s->vendor == MC_MODEL_VENDOR_INTEL && (reg_of(s, 7, 0, 2) & CPUID_7_ECX_TME);
}

bool st_pconfig_enumerated(struct mc_model_state *s)
{
	return reg_of(s, 7, 0, 3) & CPUID_7_EDX_PCONFIG;
}

bool st_sme_supported(struct mc_model_state *s)
{
	return s->vendor == MC_MODEL_VENDOR_AMD &&
	       (reg_of(s, CPUID_LEAF_AMD_MEM_ENCRYPT, 0, 0) & CPUID_8000001F_EAX_SME);
}
