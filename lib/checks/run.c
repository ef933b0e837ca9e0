/* mc_checks_run: enumerate, read, judge, in that order, so every judgment
 * sees the same facts and no register is read twice with different
 * results on the current CPU. */
#include "lib/checks/internal.h"

int mc_checks_run(const struct mc_platform *p, const struct mc_check_input *in,
		  struct mc_facts *facts, struct mc_results *res)
{
	u32 fails = res->n[MC_FAIL];

	mc_enumerate(p, facts);
	mc_read_registers(p, facts);
	/* TSME is not in any register software can read: only the PSP (and
	 * so the OS) tells (FACTS.md "TSME"). */
	facts->sme.tsme = in && in->os ? in->os->tsme : MC_TRI_UNKNOWN;
	mc_judge_cpu(facts, res);
	mc_judge_tme(p, facts, in, res);
	if (facts->vendor == MC_VENDOR_INTEL || facts->tme.supported || facts->tme.pconfig)
		mc_judge_pconfig(facts, res);
	mc_judge_sme(facts, in, res);
	if (in && in->os && in->os->present)
		mc_judge_os(facts, in->os, res);
	return (int)(res->n[MC_FAIL] - fails);
}
