/* stage_bios_run: the BIOS-stage sequence (lib/bios/program.h) on the
 * platform the stage chose: the model from \memcrypt\profile, or the
 * hardware, whose per-core writes go through EFI_MP_SERVICES_PROTOCOL
 * (efi/mp.c) and the fault-safe WRMSR (arch/x86/safe.c). */
#include "efi/bios.h"
#include "lib/bios/program.h"

bool stage_bios_run(const struct mc_platform *plat, const struct mc_policy *pol, u64 ram_top, struct mc_results *res)
{
	struct mc_bios_report rep;
	enum mc_bios_outcome o = mc_bios_run(plat, pol, ram_top, res, &rep);

	mc_report(res, MC_INFO, "bios.outcome", "%s (%u WRMSRs on the %s platform)", mc_bios_outcome_name(o),
		  rep.writes, plat->name ? plat->name : "?");
	return o != MC_BIOS_BAD_POLICY;
}
