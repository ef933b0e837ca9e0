/* PCONFIG enumeration when MKTME is on (Intel seed 6.2.3 and 6.2.3.1):
 * keys for KeyIDs other than 0 are programmed only through PCONFIG, so an
 * MKTME activation without PCONFIG and its MKTME target is unusable. */
#include "lib/checks/internal.h"
#include "arch/x86/msr-index.h"
#include "lib/fmt.h"

static void list_targets(const struct mc_facts *f, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = 0;
	for (int i = 0; i < f->tme.pconfig_ntargets && n < size; i++)
		n += (size_t)mc_snprintf(buf + n, size - n, "%s%u", i ? "," : "", f->tme.pconfig_targets[i]);
	if (!f->tme.pconfig_ntargets)
		mc_snprintf(buf, size, "none");
}

static bool has_mktme_target(const struct mc_facts *f)
{
	for (int i = 0; i < f->tme.pconfig_ntargets; i++)
		if (f->tme.pconfig_targets[i] == PCONFIG_TARGET_MKTME)
			return true;
	return false;
}

void mc_judge_pconfig(const struct mc_facts *f, struct mc_results *res)
{
	char targets[64];
	list_targets(f, targets, sizeof(targets));

	if (!f->tme.pconfig) {
		if (f->tme.mktme)
			mc_report(res, MC_FAIL, "pconfig.enumerated",
				  "MKTME on (%u KeyID bits) but PCONFIG not enumerated (CPUID.7.0:EDX[18]=0): keys cannot be programmed",
				  f->tme.keyid_bits);
		else
			mc_report(res, MC_SKIP, "pconfig.enumerated", "not enumerated (CPUID.7.0:EDX[18]=0)");
		return;
	}
	mc_report(res, f->tme.mktme ? MC_PASS : MC_INFO, "pconfig.enumerated", "CPUID.7.0:EDX[18]=1%s",
		  f->tme.mktme ? ", as MKTME needs" : "");

	if (!f->tme.have_leaf_1b) {
		mc_report(res, f->tme.mktme ? MC_FAIL : MC_INFO, "pconfig.mktme_target",
			  "PCONFIG enumerated but leaf 0x1B is above the max basic leaf 0x%x", f->max_basic_leaf);
		return;
	}
	if (f->tme.pconfig_bad_subleaf >= 0 || !f->tme.pconfig_scan_ended)
		mc_report(res, MC_WARN, "pconfig.leaf",
			  f->tme.pconfig_bad_subleaf >= 0 ? "CPUID 0x1B sub-leaf %d malformed (Intel seed 6.2.3.1)"
							  : "CPUID 0x1B: no invalid sub-leaf within %d (Intel seed 6.2.3.1)",
			  f->tme.pconfig_bad_subleaf >= 0 ? f->tme.pconfig_bad_subleaf : MC_PCONFIG_MAX_SUBLEAF);
	bool mk = has_mktme_target(f);
	if (f->tme.mktme)
		mc_report_check(res, mk, "pconfig.mktme_target", "CPUID 0x1B: %d valid sub-leaves, targets %s (expected MKTME=1, Table 6-3)",
				f->tme.pconfig_subleaves, targets);
	else
		mc_report(res, MC_INFO, "pconfig.mktme_target", "CPUID 0x1B: %d valid sub-leaves, targets %s",
			  f->tme.pconfig_subleaves, targets);
}
