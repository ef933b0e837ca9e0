/* The AMD half of the BIOS-stage sequence: SME is switched on per core by
 * SYSCFG[23] MemEncryptionModEn (AMD seed "SME technical details", step 2:
 * "During boot, enable MemEncryptionModEn (SYSCFG[23])"), after CPUID
 * 0x8000001F EAX[0] says SME exists (step 1). There is no lock bit, so
 * "already set on every core" is the BIOS-did-it case that is validated,
 * not written. */
#include "lib/bios/internal.h"
#include "lib/fmt.h"
#include "arch/x86/msr-index.h"

static bool set_bits[MC_BIOS_MAX_CPUS], clear_bits[MC_BIOS_MAX_CPUS], done_bits[MC_BIOS_MAX_CPUS];
static u64 syscfg[MC_BIOS_MAX_CPUS];

void bios_run_sme(struct bios_run *r)
{
	int n = r->f->cpus > MC_BIOS_MAX_CPUS ? MC_BIOS_MAX_CPUS : r->f->cpus;
	int n_clear = 0;
	char list[160];

	for (int c = 0; c < n; c++) {
		set_bits[c] = clear_bits[c] = done_bits[c] = false;
		int e = mc_rdmsr(r->p, c, MSR_AMD64_SYSCFG, &syscfg[c]);
		if (e) {
			mc_report(r->res, MC_FAIL, "bios.sme", "RDMSR SYSCFG (0xC0010010) on CPU %d: %s; nothing written",
				  c, mc_fault_name(e));
			r->out->outcome = MC_BIOS_FAILED;
			return;
		}
		if (syscfg[c] & MSR_AMD64_SYSCFG_MEM_ENCRYPT)
			set_bits[c] = true;
		else
			clear_bits[c] = true, n_clear++;
	}
	if (!n_clear) {
		mc_bios_cpu_list(set_bits, n, list, sizeof(list));
		mc_report(r->res, MC_PASS, "bios.sme",
			  "SYSCFG[23] MemEncryptionModEn already set by BIOS on CPUs %s; validating, not writing", list);
		r->out->outcome = MC_BIOS_VALIDATING;
		return;
	}
	mc_bios_cpu_list(clear_bits, n, list, sizeof(list));
	if (r->pol->mode == MC_POLICY_VALIDATE || !r->pol->sme) {
		mc_report(r->res, MC_INFO, "bios.mode", "SYSCFG[23] MemEncryptionModEn clear on CPUs %s; %s: nothing written",
			  list, r->pol->mode == MC_POLICY_VALIDATE ? "mode=validate" : "sme=off");
		r->out->outcome = MC_BIOS_LEFT;
		return;
	}
	bool ok = true;
	for (int c = 0; c < n; c++) {
		u64 got = 0;
		if (!clear_bits[c]) {
			done_bits[c] = true;
			continue;
		}
		int e = bios_wrmsr(r, c, MSR_AMD64_SYSCFG, syscfg[c] | MSR_AMD64_SYSCFG_MEM_ENCRYPT);
		if (!e)
			e = mc_rdmsr(r->p, c, MSR_AMD64_SYSCFG, &got);
		if (e || !(got & MSR_AMD64_SYSCFG_MEM_ENCRYPT)) {
			mc_report(r->res, MC_FAIL, "bios.sme", "CPU %d: setting SYSCFG[23] MemEncryptionModEn: %s%s", c,
				  e ? mc_fault_name(e) : "reads back clear", e ? " on WRMSR/RDMSR" : " after the write");
			ok = false;
			continue;
		}
		done_bits[c] = true;
		r->out->cpus_activated++;
	}
	mc_bios_cpu_list(done_bits, n, list, sizeof(list));
	if (ok)
		mc_report(r->res, MC_PASS, "bios.sme",
			  "SYSCFG[23] MemEncryptionModEn set and read back on CPUs %s (AMD seed \"SME technical details\" step 2)", list);
	r->out->outcome = ok ? MC_BIOS_PROGRAMMED : MC_BIOS_FAILED;
}
