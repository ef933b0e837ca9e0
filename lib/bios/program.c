/* The BIOS-stage sequence's entry point (lib/bios/program.h): enumerate,
 * describe the policy, then hand over to the vendor's half - Intel TME/MKTME
 * (tme.c) or AMD SME (sme.c) - or say there is nothing to program. */
#include "lib/bios/program.h"
#include "lib/bios/internal.h"
#include "lib/fmt.h"
#include "lib/mem.h"

const char *mc_bios_outcome_name(enum mc_bios_outcome o)
{
	static const char *const names[] = { "nothing to do", "programmed", "validating what the BIOS locked",
					     "left as found", "bad policy", "failed" };
	return (unsigned)o < ARRAY_SIZE(names) ? names[o] : "?";
}

enum mc_bios_outcome mc_bios_run(const struct mc_platform *p, const struct mc_policy *pol, u64 ram_top,
				 struct mc_results *res, struct mc_bios_report *out)
{
	static struct mc_facts f;   /* large; the stage and the host run one sequence at a time */
	struct bios_run r = { p, pol, res, &f, out, ram_top };
	char desc[MC_RESULT_DETAIL_MAX];

	mc_memset(out, 0, sizeof(*out));
	mc_enumerate(p, &f);
	mc_policy_describe(pol, desc, sizeof(desc));
	mc_report(res, MC_INFO, "bios.policy", "%s", desc);
	if (f.tme.supported)
		bios_run_tme(&r);
	else if (f.vendor == MC_VENDOR_AMD && f.sme.supported)
		bios_run_sme(&r);
	else
		mc_report(res, MC_SKIP, "bios.platform",
			  "nothing to program: neither TME (CPUID.7.0:ECX[13]=0) nor SME (CPUID 0x8000001F EAX[0]) is enumerated");
	return out->outcome;
}
