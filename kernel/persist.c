/* kernel_persist_results: the compact last-run record (lib/bios/lastrun.c)
 * into a NV+BS+RT variable with runtime SetVariable (FACTS.md: works after
 * ExitBootServices without SetVirtualAddressMap). The record says whether
 * this run ends with a platform reset, because that is what decides the
 * next UEFI stage's reboot-loop rule (docs/bios-stage.md). */
#include "kernel/persist.h"
#include "kernel/efirt.h"
#include "kernel/exit.h"
#include "lib/bios/lastrun.h"

void kernel_persist_results(struct kernel_ctx *k)
{
	static u8 rec[MC_LASTRUN_MAX];
	static const u16 name[] = { 'M', 'e', 'm', 'c', 'r', 'y', 'p', 't', 'L', 'a', 's', 't', 'R', 'u', 'n', 0 };
	static const struct efirt_guid guid = { MC_LASTRUN_GUID_D1, MC_LASTRUN_GUID_D2, MC_LASTRUN_GUID_D3,
						MC_LASTRUN_GUID_D4 };
	const struct mc_handoff *h = k->handoff;

	if (!efirt_available()) {
		mc_report(k->res, MC_SKIP, "persist.variable", "no runtime services in the handoff: results not stored");
		return;
	}
	/* The record's own line first, so the stored counts include it. */
	u16 flags = kernel_exit_resets() ? MC_LASTRUN_RESET : 0;
	mc_report(k->res, MC_INFO, "persist.variable", "storing the results in %s-%s (%s)", MC_LASTRUN_VAR_NAME,
		  MC_LASTRUN_GUID_STR, flags ? "the run ends with a reset" : "the run ends without a reset");
	size_t n = mc_lastrun_encode(k->res, MC_VERSION, h->platform_name, flags, rec, sizeof(rec));
	u64 s = efirt_set_variable(name, &guid, MC_LASTRUN_ATTRS, n, rec);
	if (s != EFIRT_SUCCESS)
		mc_report(k->res, MC_WARN, "persist.variable", "SetVariable(%s) failed: EFI status 0x%llx; results not stored",
			  MC_LASTRUN_VAR_NAME, (unsigned long long)s);
}
