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
	if (f->sme.syscfg_first_clear >= 0 && set == 0)
		mc_report(res, MC_FAIL, "sme.enabled", "BIOS did not enable SME: SYSCFG[23] MemEncryptionModEn clear on all %d CPUs read (SYSCFG=0x%016llx)",
			  rd, v);
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
		 * guests without SEV-ES (ASIDs below it are SEV-ES's). */
		if (!e->encrypted_guests || !e->min_sev_asid)
			mc_report(res, MC_FAIL, "sev.asids", "%u encrypted guests, min SEV ASID %u (expected both >= 1)",
				  e->encrypted_guests, e->min_sev_asid);
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

void mc_judge_sme(const struct mc_facts *f, struct mc_results *res)
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
		judge_syscfg(f, res);
	judge_sev(f, res);
}
