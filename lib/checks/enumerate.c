/* CPUID enumeration. Every leaf is read only when the maximum leaf covers
 * it (CPUID 0 EAX for basic leaves, 0x80000000 EAX for extended ones):
 * above the maximum, Intel CPUs and QEMU return the highest basic leaf's
 * data, which for 0x8000001F on QEMU's EPYC-Milan reads as "SME and SEV
 * supported" (FACTS.md). */
#include "lib/checks/checks.h"
#include "arch/x86/msr-index.h"
#include "lib/mem.h"

#define CPUID_DEFAULT_PHYS_BITS 36   /* SDM: without 0x80000008, MAXPHYADDR is 36 */

static void vendor_of(struct mc_facts *f, const struct cpuid_regs *r)
{
	mc_memcpy(f->vendor_id + 0, &r->ebx, 4);
	mc_memcpy(f->vendor_id + 4, &r->edx, 4);
	mc_memcpy(f->vendor_id + 8, &r->ecx, 4);
	f->vendor_id[12] = 0;
	for (int i = 0; i < 12; i++)   /* keep JSON and report lines printable */
		if (f->vendor_id[i] < 0x20 || f->vendor_id[i] > 0x7e)
			f->vendor_id[i] = '?';
	if (!mc_strcmp(f->vendor_id, "GenuineIntel"))
		f->vendor = MC_VENDOR_INTEL;
	else if (!mc_strcmp(f->vendor_id, "AuthenticAMD") || !mc_strcmp(f->vendor_id, "HygonGenuine"))
		f->vendor = MC_VENDOR_AMD;
	else
		f->vendor = MC_VENDOR_OTHER;
}

/* Intel seed 6.2.3.1: scan sub-leaves of 0x1B until an invalid one (EAX[11:0]
 * == 0); a valid one (type 1) lists up to three target identifiers. */
static void scan_pconfig_leaf(const struct mc_platform *p, struct mc_facts *f)
{
	f->tme.pconfig_bad_subleaf = -1;
	for (u32 n = 0; n < MC_PCONFIG_MAX_SUBLEAF; n++) {
		struct cpuid_regs r;
		mc_cpuid(p, CPUID_LEAF_PCONFIG, n, &r);
		u32 type = r.eax & 0xfff;
		if (type == 0) {
			/* "If EAX[11:0] == 0: EAX:EBX:ECX:EDX = 0" */
			if ((r.eax | r.ebx | r.ecx | r.edx) && f->tme.pconfig_bad_subleaf < 0)
				f->tme.pconfig_bad_subleaf = (int)n;
			f->tme.pconfig_scan_ended = true;
			return;
		}
		f->tme.pconfig_subleaves++;
		if (type != 1 || (r.eax & ~0xfffu)) {
			/* A type this spec does not define, or EAX[31:12] != 0. */
			if (f->tme.pconfig_bad_subleaf < 0)
				f->tme.pconfig_bad_subleaf = (int)n;
			continue;
		}
		u32 ids[3] = { r.ebx, r.ecx, r.edx };
		for (int i = 0; i < 3; i++)
			if (ids[i] != PCONFIG_TARGET_INVALID && f->tme.pconfig_ntargets < MC_PCONFIG_MAX_TARGETS)
				f->tme.pconfig_targets[f->tme.pconfig_ntargets++] = ids[i];
	}
}

static void count_topology(const struct mc_platform *p, struct mc_facts *f)
{
	f->cpus = p->cpu_count ? p->cpu_count(p->ctx) : 1;
	if (f->cpus < 1)
		f->cpus = 1;
	/* Distinct package ids; small bounded set, no allocation. */
	int seen[64], nseen = 0;
	for (int c = 0; c < f->cpus; c++) {
		int pkg = p->package_of ? p->package_of(p->ctx, c) : 0;
		bool known = false;
		for (int i = 0; i < nseen; i++)
			known |= seen[i] == pkg;
		if (!known && nseen < (int)ARRAY_SIZE(seen))
			seen[nseen++] = pkg;
	}
	f->packages = nseen ? nseen : 1;
}

void mc_enumerate(const struct mc_platform *p, struct mc_facts *f)
{
	struct cpuid_regs r;

	mc_memset(f, 0, sizeof(*f));
	f->tme.pconfig_bad_subleaf = -1;
	f->sme.syscfg_first_clear = -1;
	count_topology(p, f);

	mc_cpuid(p, 0, 0, &r);
	f->max_basic_leaf = r.eax;
	vendor_of(f, &r);

	if (f->max_basic_leaf >= 1) {
		mc_cpuid(p, 1, 0, &r);
		f->hypervisor = r.ecx & CPUID_1_ECX_HYPERVISOR;
	}
	if (f->max_basic_leaf >= CPUID_LEAF_EXT_FEATURES) {
		mc_cpuid(p, CPUID_LEAF_EXT_FEATURES, 0, &r);
		f->tme.supported = r.ecx & CPUID_7_ECX_TME;   /* Intel seed 4.1.1 */
		f->tme.pconfig = r.edx & CPUID_7_EDX_PCONFIG; /* Intel seed 6.2.3 */
	}
	f->tme.have_leaf_1b = f->max_basic_leaf >= CPUID_LEAF_PCONFIG;
	if (f->tme.have_leaf_1b)
		scan_pconfig_leaf(p, f);

	mc_cpuid(p, CPUID_LEAF_EXT_MAX, 0, &r);
	/* A CPU without extended leaves may return anything here: only a value
	 * in the 0x8000xxxx range is a maximum (as Linux checks it). */
	f->max_ext_leaf = (r.eax & 0xffff0000u) == CPUID_LEAF_EXT_MAX ? r.eax : 0;

	f->phys_bits = CPUID_DEFAULT_PHYS_BITS;
	if (f->max_ext_leaf >= CPUID_LEAF_ADDR_SIZES) {
		mc_cpuid(p, CPUID_LEAF_ADDR_SIZES, 0, &r);
		f->have_addr_leaf = true;
		f->phys_bits = (u8)(r.eax & 0xff);   /* Intel seed 4.1.4: unaffected by MKTME */
	}
	f->usable_phys_bits = f->phys_bits;

	if (f->max_ext_leaf >= CPUID_LEAF_AMD_MEM_ENCRYPT) {
		mc_cpuid(p, CPUID_LEAF_AMD_MEM_ENCRYPT, 0, &f->sme.raw);
		f->sme.leaf = true;
		mc_decode_amd_mem_encrypt(&f->sme.raw, &f->sme.enc);
		f->sme.supported = f->vendor == MC_VENDOR_AMD && f->sme.enc.sme;
	}
}
