/* May the test kernel run here? In an SEV guest (SEV_STATUS, FACTS.md)
 * private memory must be mapped with the C-bit, and from SEV-ES on every
 * CPUID, port access and MSR access of the kernel raises #VC, which needs a
 * GHCB protocol handler. The kernel builds its identity map without the
 * C-bit and has no #VC handler (kvm-unit-tests shows the way: keep the
 * C-bit in its own tables and reuse the firmware's #VC handler), so until
 * it does, the stage reports the guest and does not hand off: never a
 * crash on the first private page. */
#include "lib/checks/checks.h"
#include "lib/fmt.h"

const char *mc_guest_handoff_refusal(const struct mc_facts *f, char *buf, size_t size)
{
	if (f->sme.guest == MC_GUEST_NONE)
		return NULL;
	mc_snprintf(buf, size, "%s guest (SEV_STATUS=0x%llx): not handed off: the kernel's map has no C-bit (%u)%s",
		    mc_sev_guest_name(f->sme.guest), (unsigned long long)f->sme.sev_status, f->sme.enc.c_bit,
		    f->sme.guest == MC_GUEST_SEV ? "" : " and no #VC handler");
	return buf;
}
