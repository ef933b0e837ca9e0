/* Reading the registers CPUID enumerated, and the facts derived from them.
 * An MSR is read only when CPUID says it exists: QEMU returns 0 without #GP
 * for MSRs it does not implement (FACTS.md), so a read that did not fault
 * proves nothing by itself. */
#include "lib/checks/internal.h"
#include "arch/x86/msr-index.h"

/* TDX (FACTS.md "TDX splits the KeyIDs"). MSR 0x87 is read guarded: a
 * #GP means no partition, every KeyID is MKTME's. It splits the activated
 * KeyIDs only when it names MKTME KeyIDs: QEMU answers 0 for MSRs it lacks,
 * and 0 MKTME KeyIDs beside activated ones is no partition Linux would
 * use. Linux (arch/x86/virt/vmx/tdx): tdx_keyid_start = nr_mktme + 1.
 * SEAMRR is read only when IA32_MTRRCAP bit 15 enumerates it. */
static void read_tdx(const struct mc_platform *p, struct mc_facts *f)
{
	u64 v = 0, cap = 0;

	f->tme.partition_fault = mc_rdmsr(p, MC_CPU_CURRENT, MSR_IA32_MKTME_KEYID_PARTITIONING, &v);
	f->tme.partition_read = !f->tme.partition_fault;
	if (f->tme.partition_read) {
		f->tme.partition = v;
		u32 nr_mktme = (u32)v, nr_tdx = (u32)(v >> 32);
		if (f->tme.mktme && nr_mktme) {
			f->tme.mktme_keyids = nr_mktme < f->tme.keyids ? nr_mktme : f->tme.keyids;
			f->tme.tdx_keyids = nr_tdx;
			f->tme.tdx_keyid_start = nr_tdx ? nr_mktme + 1 : 0;
		}
	}
	if (mc_rdmsr(p, MC_CPU_CURRENT, MSR_MTRRcap, &cap) || !(cap & MTRR_CAP_SEAMRR)) {
		f->tme.seamrr_fault = MC_PLAT_ENOSYS;
		return;
	}
	f->tme.seamrr_fault = mc_rdmsr(p, MC_CPU_CURRENT, MSR_IA32_SEAMRR_PHYS_BASE, &f->tme.seamrr_base);
	if (!f->tme.seamrr_fault)
		f->tme.seamrr_fault = mc_rdmsr(p, MC_CPU_CURRENT, MSR_IA32_SEAMRR_PHYS_MASK, &f->tme.seamrr_mask);
	f->tme.seamrr_read = !f->tme.seamrr_fault;
	f->tme.tdx_enabled = f->tme.seamrr_read && (f->tme.seamrr_mask & SEAMRR_PHYS_MASK_ENABLED);
}

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
	f->tme.mktme_keyids = f->tme.keyids;
	read_tdx(p, f);
	/* fwupd's reading of bit 31: with bypass, KeyID 0 is plaintext, so
	 * memory is encrypted only through MKTME KeyIDs besides 0. */
	f->tme.encrypts = f->tme.active && (!f->tme.act.bypass || f->tme.mktme_keyids > 0);
}

/* A SYSCFG bit on every CPU read (and this CPU): true only when no CPU
 * read has it clear and at least one was read. */
static bool bit_on_all(const struct mc_platform *p, const struct mc_facts *f, u32 msr, u64 bit, int *first_clear)
{
	struct mc_percpu pc;
	mc_percpu_compare(p, f->cpus, msr, bit, bit, &pc);
	if (first_clear)
		*first_clear = pc.first_differ;
	return pc.read > 0 && pc.differ == 0 && pc.faulted == 0;
}

/* Host readiness for SEV-ES/SNP (FACTS.md "AMD beyond SME"): SYSCFG
 * bits 24/25, HWCR.SMMLOCK on every CPU, the RMP range when SNP is
 * enumerated. Linux (arch/x86/kernel/cpu/amd.c) keeps SEV only when
 * SYSCFG[23] is set and SMM is locked. */
static void read_sev_host(const struct mc_platform *p, struct mc_facts *f)
{
	const struct mc_amd_mem_encrypt *e = &f->sme.enc;

	f->sme.es_asids = e->min_sev_asid ? e->min_sev_asid - 1 : 0;
	if (!f->sme.syscfg_fault) {
		f->sme.syscfg_snp = f->sme.syscfg & MSR_AMD64_SYSCFG_SNP_EN;
		f->sme.syscfg_vmpl = f->sme.syscfg & MSR_AMD64_SYSCFG_SNP_VMPL_EN;
		f->sme.snp_enabled = f->sme.syscfg_snp && bit_on_all(p, f, MSR_AMD64_SYSCFG, MSR_AMD64_SYSCFG_SNP_EN, NULL);
		f->sme.vmpl_enabled = f->sme.syscfg_vmpl &&
				      bit_on_all(p, f, MSR_AMD64_SYSCFG, MSR_AMD64_SYSCFG_SNP_VMPL_EN, NULL);
	}
	f->sme.hwcr_first_unlocked = -1;
	f->sme.hwcr_fault = mc_rdmsr(p, MC_CPU_CURRENT, MSR_K7_HWCR, &f->sme.hwcr);
	f->sme.hwcr_read = !f->sme.hwcr_fault;
	if (f->sme.hwcr_read)
		f->sme.smm_locked = (f->sme.hwcr & MSR_K7_HWCR_SMMLOCK) &&
				    bit_on_all(p, f, MSR_K7_HWCR, MSR_K7_HWCR_SMMLOCK, &f->sme.hwcr_first_unlocked);
	f->sme.sev_usable = e->sev && f->sme.enabled && f->sme.smm_locked;
	if (e->sev_snp) {
		f->sme.rmp_fault = mc_rdmsr(p, MC_CPU_CURRENT, MSR_AMD64_RMP_BASE, &f->sme.rmp_base);
		if (!f->sme.rmp_fault)
			f->sme.rmp_fault = mc_rdmsr(p, MC_CPU_CURRENT, MSR_AMD64_RMP_END, &f->sme.rmp_end);
		f->sme.rmp_read = !f->sme.rmp_fault;
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

	if (!(f->sme.supported || (f->vendor == MC_VENDOR_AMD && e->sev)) || f->sme.guest != MC_GUEST_NONE) {
		/* In an SEV guest, SYSCFG belongs to the host: not read. */
		if (f->sme.guest != MC_GUEST_NONE && e->reduction < f->phys_bits)
			f->usable_phys_bits = (u8)(f->phys_bits - e->reduction);
		return;
	}

	f->sme.syscfg_fault = mc_rdmsr(p, MC_CPU_CURRENT, MSR_AMD64_SYSCFG, &f->sme.syscfg);
	f->sme.syscfg_read = !f->sme.syscfg_fault;
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
	read_sev_host(p, f);
}

void mc_read_registers(const struct mc_platform *p, struct mc_facts *f)
{
	if (f->tme.supported)
		read_tme(p, f);
	if (f->vendor == MC_VENDOR_AMD && f->sme.leaf)
		read_sme(p, f);
}
