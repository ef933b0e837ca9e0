/* Judgments on AMD SME/SEV enablement (AMD seed "SME technical details",
 * "SEV"; CPUID 0x8000001F and the MSRs as FACTS.md gives them). Linux's
 * rule for "SME active" (FACTS.md): leaf 0x8000001F within the max
 * extended leaf, EAX[0], SYSCFG[23], and not a guest. */
#include "lib/checks/internal.h"
#include "arch/x86/msr-index.h"

#define LEAF "CPUID 0x8000001F EAX=0x%x EBX=0x%x ECX=0x%x EDX=0x%x"
#define LEAF_ARGS(r) (r).eax, (r).ebx, (r).ecx, (r).edx

/* The C-bit must sit above the address bits left after the reduction
 * (AMD seed: "[47] [46:X] [X-1:0] Encrypted (Reserved) Physical Address"),
 * inside the 52-bit physical address of a page-table entry. */
static void judge_cbit(const struct mc_facts *f, struct mc_results *res)
{
	const struct mc_amd_mem_encrypt *e = &f->sme.enc;
	bool sane = e->c_bit != 0 && e->c_bit <= 51 && e->reduction < f->phys_bits &&
		    e->c_bit >= f->phys_bits - e->reduction;
	mc_report_check(res, sane, "sme.c_bit",
			"C-bit %u, reduction %u, MAXPHYADDR %u: %s (EBX=0x%x)", e->c_bit, e->reduction, f->phys_bits,
			sane ? "C-bit above the address bits left" : "expected 1 <= C-bit <= 51 and C-bit >= MAXPHYADDR - reduction",
			f->sme.raw.ebx);
	if (sane)
		mc_report(res, MC_INFO, "sme.pa_width", "MAXPHYADDR %u - reduction %u = %u address bits when encryption is on; now %u",
			  f->phys_bits, e->reduction, f->phys_bits - e->reduction, f->usable_phys_bits);
}

/* SYSCFG[23] MemEncryptionModEn on every core (AMD seed step 2). */
static void judge_syscfg(const struct mc_facts *f, struct mc_results *res)
{
	unsigned long long v = f->sme.syscfg;

	if (f->sme.guest != MC_GUEST_NONE) {
		mc_report(res, MC_SKIP, "sme.enabled", "running as an %s guest: SYSCFG belongs to the host, not read",
			  mc_sev_guest_name(f->sme.guest));
		return;
	}
	if (f->sme.syscfg_fault) {
		if (f->hypervisor)
			mc_report(res, MC_SKIP, "sme.enabled", "RDMSR SYSCFG (0xC0010010) raised %s under a hypervisor: expected in a guest, host SME state unknown",
				  mc_fault_name(f->sme.syscfg_fault));
		else
			mc_report(res, MC_FAIL, "sme.enabled", "RDMSR SYSCFG (0xC0010010) raised %s on bare metal with SME enumerated",
				  mc_fault_name(f->sme.syscfg_fault));
		return;
	}
	if (f->hypervisor) {
		/* A read that did not fault in a guest is the hypervisor's
		 * emulation (QEMU returns 0 for MSRs it lacks): not evidence. */
		mc_report(res, MC_INFO, "sme.enabled", "SYSCFG=0x%016llx under a hypervisor is emulated: not evidence of host SME", v);
		return;
	}
	int rd = f->sme.syscfg_cpus_read, set = f->sme.syscfg_cpus_set;
	if (f->sme.syscfg_first_clear >= 0 && set == 0 && f->sme.tsme == MC_TRI_YES)
		mc_report(res, MC_PASS, "sme.enabled",
			  "memory encrypted transparently: TSME on (the PSP says so), SYSCFG[23] clear on all %d CPUs as TSME leaves it (SYSCFG=0x%016llx)",
			  rd, v);
	else if (f->sme.syscfg_first_clear >= 0 && set == 0)
		mc_report(res, MC_FAIL, "sme.enabled", "BIOS did not enable SME: SYSCFG[23] MemEncryptionModEn clear on all %d CPUs read (SYSCFG=0x%016llx)%s",
			  rd, v, f->sme.tsme == MC_TRI_NO ? ", TSME off" : "; TSME unknown here (only the PSP tells)");
	else if (f->sme.syscfg_first_clear >= 0)
		mc_report(res, MC_FAIL, "sme.enabled", "SYSCFG[23] set on %d of %d CPUs read, clear on cpu %d: inconsistent between cores",
			  set, rd, f->sme.syscfg_first_clear);
	else if (f->sme.syscfg_unreachable)
		mc_report(res, MC_SKIP, "sme.enabled", "SYSCFG[23] set on the %d CPUs read, %d of %d could not be read: not shown on all",
			  rd, f->sme.syscfg_unreachable, f->cpus);
	else
		mc_report(res, MC_PASS, "sme.enabled", "SYSCFG[23] MemEncryptionModEn set on all %d CPUs (SYSCFG=0x%016llx)", rd, v);
}

static void judge_sev(const struct mc_facts *f, struct mc_results *res)
{
	const struct mc_amd_mem_encrypt *e = &f->sme.enc;

	if (!e->sev) {
		mc_report(res, MC_SKIP, "sev.supported", "not enumerated (CPUID 0x8000001F EAX[1]=0)");
	} else {
		mc_report(res, MC_INFO, "sev.supported", "SEV yes, SEV-ES %s, SEV-SNP %s, VMPL %s; %u encrypted guests, min SEV ASID %u",
			  e->sev_es ? "yes" : "no", e->sev_snp ? "yes" : "no", e->vmpl ? "yes" : "no",
			  e->encrypted_guests, e->min_sev_asid);
	}
	/* SEV-ES builds on SEV, SEV-SNP on SEV-ES. */
	if (e->sev || e->sev_es || e->sev_snp)
		mc_report_check(res, (!e->sev_es || e->sev) && (!e->sev_snp || e->sev_es), "sev.features",
				"SEV %d, SEV-ES %d, SEV-SNP %d (expected SNP => ES => SEV; EAX=0x%x)",
				e->sev, e->sev_es, e->sev_snp, f->sme.raw.eax);

	if (e->sev && !f->hypervisor) {
		/* ECX: ASIDs for encrypted guests; EDX: the first ASID for SEV
		 * guests without SEV-ES (ASIDs below it are SEV-ES's and SNP's;
		 * KVM's sev_hardware_setup disables SEV-ES and SNP when there
		 * are none). */
		if (!e->encrypted_guests || !e->min_sev_asid)
			mc_report(res, MC_FAIL, "sev.asids", "%u encrypted guests, min SEV ASID %u (expected both >= 1)",
				  e->encrypted_guests, e->min_sev_asid);
		else if ((e->sev_es || e->sev_snp) && !f->sme.es_asids)
			mc_report(res, f->sme.snp_enabled ? MC_FAIL : MC_WARN, "sev.asids",
				  "SEV-ES%s advertised but min SEV ASID 1 leaves no ASID for them (ASIDs 1..%u all plain SEV): KVM disables SEV-ES and SNP%s",
				  e->sev_snp ? "/SNP" : "", e->encrypted_guests,
				  f->sme.snp_enabled ? ", though the BIOS enabled SNP (SYSCFG[24])" : "");
		else if (e->min_sev_asid > e->encrypted_guests)
			mc_report(res, MC_WARN, "sev.asids", "min SEV ASID %u > %u encrypted guests: every ASID is reserved for SEV-ES, none for plain SEV",
				  e->min_sev_asid, e->encrypted_guests);
		else
			mc_report(res, MC_PASS, "sev.asids", "%u encrypted guests, ASIDs %u..%u for SEV, %u for SEV-ES",
				  e->encrypted_guests, e->min_sev_asid, e->encrypted_guests, e->min_sev_asid - 1);
	}

	if (!f->hypervisor) {
		mc_report(res, MC_INFO, "sev.guest", "not a guest (CPUID.1:ECX[31]=0): SEV_STATUS not read");
	} else if (!e->sev) {
		mc_report(res, MC_INFO, "sev.guest", "under a hypervisor that does not advertise SEV: not an SEV guest");
	} else if (!f->sme.sev_status_read) {
		mc_report(res, MC_INFO, "sev.guest", "RDMSR SEV_STATUS (0xC0010131) raised %s: not an SEV guest",
			  mc_fault_name(f->sme.sev_status_fault));
	} else {
		u64 s = f->sme.sev_status;
		bool consistent = (!(s & MSR_AMD64_SEV_ES_ENABLED) || (s & MSR_AMD64_SEV_ENABLED)) &&
				  (!(s & MSR_AMD64_SEV_SNP_ENABLED) || (s & MSR_AMD64_SEV_ENABLED));
		if (!consistent)
			mc_report(res, MC_FAIL, "sev.guest", "SEV_STATUS=0x%016llx: SEV-ES/SNP active without SEV (bit 0)",
				  (unsigned long long)s);
		else if (f->sme.guest == MC_GUEST_NONE)
			mc_report(res, MC_INFO, "sev.guest", "SEV_STATUS=0x%016llx: not an SEV guest", (unsigned long long)s);
		else
			mc_report(res, MC_PASS, "sev.guest", "running as an %s guest (SEV_STATUS=0x%016llx), C-bit %u",
				  mc_sev_guest_name(f->sme.guest), (unsigned long long)s, e->c_bit);
	}
}

/* TSME: all memory encrypted by the BIOS's choice, no C-bit, SYSCFG[23]
 * clear; visible only through the PSP (FACTS.md "TSME"). */
static void judge_tsme(const struct mc_facts *f, struct mc_results *res)
{
	if (f->sme.tsme == MC_TRI_YES)
		mc_report(res, MC_PASS, "sme.tsme", "TSME on: the PSP reports all memory encrypted transparently (no C-bit needed)");
	else if (f->sme.tsme == MC_TRI_NO)
		mc_report(res, MC_INFO, "sme.tsme", "TSME off (the PSP says so)");
	else
		mc_report(res, MC_SKIP, "sme.tsme", "TSME state unknown: no register shows it, only the PSP (Linux: ccp tsme_status)");
}

/* Would Linux keep SEV on this host? arch/x86/kernel/cpu/amd.c
 * early_detect_mem_encrypt clears SEV, SEV-ES and SNP when SYSCFG[23] is
 * clear or HWCR.SMMLOCK is not set. */
static void judge_sev_usable(const struct mc_facts *f, struct mc_results *res)
{
	if (f->sme.syscfg_fault) {
		mc_report(res, MC_SKIP, "sev.usable", "SYSCFG could not be read (%s): whether Linux keeps SEV is unknown",
			  mc_fault_name(f->sme.syscfg_fault));
	} else if (f->sme.hwcr_fault) {
		mc_report(res, MC_SKIP, "sev.usable", "RDMSR HWCR (0xC0010015) raised %s: SMMLOCK unknown",
			  mc_fault_name(f->sme.hwcr_fault));
	} else if (!f->sme.enabled) {
		mc_report(res, MC_FAIL, "sev.usable",
			  "SYSCFG[23] MemEncryptionModEn clear%s (SYSCFG=0x%016llx): Linux disables SEV, SEV-ES and SNP",
			  f->sme.tsme == MC_TRI_YES ? " (TSME encrypts memory, but SEV needs the bit)" : "",
			  (unsigned long long)f->sme.syscfg);
	} else if (!f->sme.smm_locked) {
		mc_report(res, MC_FAIL, "sev.usable",
			  "HWCR.SMMLOCK (0xC0010015 bit 0) clear on cpu %d (HWCR=0x%016llx): SMM not locked, Linux disables SEV, SEV-ES and SNP",
			  f->sme.hwcr_first_unlocked >= 0 ? f->sme.hwcr_first_unlocked : 0, (unsigned long long)f->sme.hwcr);
	} else {
		mc_report(res, MC_PASS, "sev.usable", "SYSCFG[23] set and SMM locked (HWCR=0x%016llx) on all %d CPUs: Linux keeps SEV",
			  (unsigned long long)f->sme.hwcr, f->cpus);
	}
}

/* SNP: SYSCFG[24] SecureNestedPagingEn on every CPU, SYSCFG[25] VMPLEn
 * where VMPLs exist (APM vol. 2 15.36); the RMP as Linux's
 * snp_rmptable_init wants it: base and end+1 1 MiB aligned, 16 bytes per
 * 4 KiB page of RAM plus 16 KiB of CPU bookkeeping. */
#define RMP_ALIGN       (1ULL << 20)
#define RMP_BOOKKEEPING (16ULL << 10)
#define RMP_ENTRY_BYTES 16ULL

static void judge_snp(const struct mc_facts *f, const struct mc_check_input *in, struct mc_results *res)
{
	const struct mc_amd_mem_encrypt *e = &f->sme.enc;
	unsigned long long sys = f->sme.syscfg;

	if (f->sme.syscfg_fault)
		return;   /* sev.usable said why */
	if (f->sme.syscfg_snp && !f->sme.snp_enabled)
		mc_report(res, MC_FAIL, "snp.enabled", "SYSCFG[24] SecureNestedPagingEn set on this CPU but not on every CPU read (SYSCFG=0x%016llx)", sys);
	else if (!f->sme.snp_enabled)
		mc_report(res, MC_INFO, "snp.enabled", "SNP supported, not enabled by the BIOS (SYSCFG[24]=0, SYSCFG=0x%016llx)", sys);
	else if (!f->sme.enabled)
		mc_report(res, MC_FAIL, "snp.enabled", "SYSCFG[24] SNP set but SYSCFG[23] MemEncryptionModEn clear (SYSCFG=0x%016llx): SNP needs it", sys);
	else if (e->vmpl && !f->sme.vmpl_enabled)
		mc_report(res, MC_WARN, "snp.enabled", "SNP enabled (SYSCFG[24]) but VMPLEn (SYSCFG[25]) clear although %u VMPLs exist (SYSCFG=0x%016llx)",
			  e->vmpls, sys);
	else
		mc_report(res, MC_PASS, "snp.enabled", "SYSCFG[24] SecureNestedPagingEn%s set on all %d CPUs (SYSCFG=0x%016llx)",
			  f->sme.vmpl_enabled ? " and [25] VMPLEn" : "", f->cpus, sys);

	if (!f->sme.snp_enabled)
		return;
	unsigned long long base = f->sme.rmp_base, end = f->sme.rmp_end;
	if (!f->sme.rmp_read) {
		mc_report(res, MC_FAIL, "snp.rmp", "RDMSR RMP_BASE/RMP_END (0xC0010132/3) raised %s with SNP enabled",
			  mc_fault_name(f->sme.rmp_fault));
		return;
	}
	if (!base || !end || end < base || (base & (RMP_ALIGN - 1)) || ((end + 1) & (RMP_ALIGN - 1))) {
		mc_report(res, MC_FAIL, "snp.rmp", "RMP_BASE=0x%llx RMP_END=0x%llx: the BIOS did not reserve the RMP (expected base and end+1 1 MiB aligned)",
			  base, end);
		return;
	}
	unsigned long long size = end - base + 1;
	u64 top = in ? in->ram_top : 0;
	if (!top) {
		mc_report(res, MC_SKIP, "snp.rmp", "RMP 0x%llx-0x%llx (%llu MiB) aligned; the RAM extent is unknown here, so its size is not judged",
			  base, end, size >> 20);
		return;
	}
	unsigned long long need = RMP_BOOKKEEPING + ((top + 0xfff) >> 12) * RMP_ENTRY_BYTES;
	mc_report_check(res, size >= need, "snp.rmp", "RMP 0x%llx-0x%llx: %llu KiB %s %llu KiB for RAM up to 0x%llx (16 B per 4 KiB page + 16 KiB)",
			base, end, size >> 10, size >= need ? "covers the" : "is smaller than the", need >> 10,
			(unsigned long long)top);
}

void mc_judge_sme(const struct mc_facts *f, const struct mc_check_input *in, struct mc_results *res)
{
	if (f->vendor != MC_VENDOR_AMD) {
		mc_report(res, MC_SKIP, "sme.supported", "not an AMD CPU (%s): SME/SEV checks skipped", f->vendor_id);
		return;
	}
	if (!f->sme.leaf) {
		mc_report(res, MC_SKIP, "sme.supported",
			  "CPUID 0x8000001F is above the max extended leaf 0x%x: not read (what lies there is not SME data)",
			  f->max_ext_leaf);
		return;
	}
	mc_report(res, MC_INFO, "sme.leaf", LEAF, LEAF_ARGS(f->sme.raw));
	const struct mc_amd_mem_encrypt *e = &f->sme.enc;
	if (!e->sme && !e->sev) {
		mc_report(res, MC_SKIP, "sme.supported", "not enumerated (CPUID 0x8000001F EAX[0]=0, EAX[1]=0)");
		return;
	}
	if (e->sme)
		mc_report(res, MC_PASS, "sme.supported", "CPUID 0x8000001F EAX[0]=1 (EAX=0x%x)", f->sme.raw.eax);
	else
		mc_report(res, MC_SKIP, "sme.supported", "SME not enumerated (EAX[0]=0), SEV is");
	judge_cbit(f, res);
	if (e->sme)
		mc_judge_ram_width(f, in, res);
	if (f->sme.guest == MC_GUEST_NONE && !f->hypervisor)
		judge_tsme(f, res);
	if (e->sme)
		judge_syscfg(f, res);
	judge_sev(f, res);
	/* Host readiness: on bare metal only; in a guest these registers are
	 * the host's (and under a hypervisor an emulated read proves nothing). */
	if (e->sev && f->sme.guest == MC_GUEST_NONE && !f->hypervisor) {
		judge_sev_usable(f, res);
		if (e->sev_snp)
			judge_snp(f, in, res);
	}
}
