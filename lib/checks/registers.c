/* Reading the registers CPUID enumerated, and the facts derived from them.
 * An MSR is read only when CPUID says it exists: QEMU returns 0 without #GP
 * for MSRs it does not implement (FACTS.md), so a read that did not fault
 * proves nothing by itself. */
#include "lib/checks/internal.h"
#include "arch/x86/msr-index.h"

static void read_tme(const struct mc_platform *p, struct mc_facts *f)
{
	u64 cap = 0, act = 0, mask = 0, base = 0;

	/* Intel seed 4.1.1: CPUID.TME enumerates MSRs 981H-984H. */
	f->tme.cap_fault = mc_rdmsr(p, MC_CPU_CURRENT, MSR_IA32_TME_CAPABILITY, &cap);
	f->tme.activate_fault = mc_rdmsr(p, MC_CPU_CURRENT, MSR_IA32_TME_ACTIVATE, &act);
	f->tme.exclusion_fault = mc_rdmsr(p, MC_CPU_CURRENT, MSR_IA32_TME_EXCLUDE_MASK, &mask);
	if (!f->tme.exclusion_fault)
		f->tme.exclusion_fault = mc_rdmsr(p, MC_CPU_CURRENT, MSR_IA32_TME_EXCLUDE_BASE, &base);

	f->tme.read = !f->tme.cap_fault && !f->tme.activate_fault;
	if (!f->tme.read)
		return;
	mc_decode_tme_cap(cap, &f->tme.cap);
	mc_decode_tme_activate(act, &f->tme.act);
	if (!f->tme.exclusion_fault)
		mc_decode_tme_exclusion(mask, base, f->phys_bits, &f->tme.excl);

	/* Linux's rule (FACTS.md): enabled by BIOS only with lock=1 and
	 * enable=1; then the KeyID bits come off the physical address width
	 * (Intel seed 5.1). */
	f->tme.active = f->tme.act.locked && f->tme.act.enabled;
	f->tme.mktme = f->tme.active && f->tme.act.keyid_bits > 0 && f->tme.act.keyid_bits < f->phys_bits;
	if (f->tme.mktme) {
		f->tme.keyid_bits = f->tme.act.keyid_bits;
		f->tme.keyid_shift = mc_keyid_shift(f->phys_bits, f->tme.keyid_bits);
		f->tme.keyids = mc_tme_keyids(f->tme.keyid_bits, f->tme.cap.max_keys);
		f->usable_phys_bits = (u8)(f->phys_bits - f->tme.keyid_bits);
	}
}

static void read_sme(const struct mc_platform *p, struct mc_facts *f)
{
	const struct mc_amd_mem_encrypt *e = &f->sme.enc;

	/* SEV_STATUS is meaningful in a guest of a hypervisor that advertises
	 * SEV; read it only then (0 without #GP on QEMU means "not SEV"). */
	if (e->sev && f->hypervisor) {
		f->sme.sev_status_fault = mc_rdmsr(p, MC_CPU_CURRENT, MSR_AMD64_SEV, &f->sme.sev_status);
		f->sme.sev_status_read = !f->sme.sev_status_fault;
		if (f->sme.sev_status_read) {
			u64 s = f->sme.sev_status;
			f->sme.guest = (s & MSR_AMD64_SEV_SNP_ENABLED) ? MC_GUEST_SEV_SNP
				     : (s & MSR_AMD64_SEV_ES_ENABLED) ? MC_GUEST_SEV_ES
				     : (s & MSR_AMD64_SEV_ENABLED) ? MC_GUEST_SEV : MC_GUEST_NONE;
		}
	}

	if (!f->sme.supported || f->sme.guest != MC_GUEST_NONE) {
		/* In an SEV guest, SYSCFG belongs to the host: not read. */
		if (f->sme.guest != MC_GUEST_NONE && e->reduction < f->phys_bits)
			f->usable_phys_bits = (u8)(f->phys_bits - e->reduction);
		return;
	}

	f->sme.syscfg_fault = mc_rdmsr(p, MC_CPU_CURRENT, MSR_AMD64_SYSCFG, &f->sme.syscfg);
	struct mc_percpu pc;
	mc_percpu_compare(p, f->cpus, MSR_AMD64_SYSCFG, MSR_AMD64_SYSCFG_MEM_ENCRYPT,
			  MSR_AMD64_SYSCFG_MEM_ENCRYPT, &pc);
	f->sme.syscfg_cpus_read = pc.read;
	f->sme.syscfg_cpus_set = pc.read - pc.differ;
	f->sme.syscfg_unreachable = pc.unreachable + pc.faulted;
	f->sme.syscfg_first_clear = pc.first_differ;
	f->sme.enabled = !f->sme.syscfg_fault && (f->sme.syscfg & MSR_AMD64_SYSCFG_MEM_ENCRYPT) &&
			 pc.read > 0 && pc.differ == 0;
	/* Linux (FACTS.md): the reduction applies only when SYSCFG[23] is set. */
	if (f->sme.enabled && e->reduction < f->phys_bits)
		f->usable_phys_bits = (u8)(f->phys_bits - e->reduction);
}

void mc_read_registers(const struct mc_platform *p, struct mc_facts *f)
{
	if (f->tme.supported)
		read_tme(p, f);
	if (f->vendor == MC_VENDOR_AMD && f->sme.leaf)
		read_sme(p, f);
}
