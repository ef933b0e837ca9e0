/* AMD SME/SEV encryption rules as pure functions (AMD seed, slides "SME
 * technical details", "SEV details" and "SEV and SME interaction"). */
#include "lib/model/model.h"

enum mc_amd_enc mc_amd_encryption(const struct mc_amd_access *a)
{
	if (!a->guest || !a->sev) {
		/* Host (ASID 0), and a non-SEV guest through its nested table:
		 * C=1 -> SME (host) key, C=0 -> unencrypted; the C-bit means
		 * something only with CR4.PAE=1 and paging ("SME/SEV comparison":
		 * default when CR4.PAE=0 is unencrypted). */
		bool c = a->guest ? a->nested_c : a->c;
		return c && a->paging_pae ? MC_AMD_HOST_KEY : MC_AMD_UNENCRYPTED;
	}
	/* SEV guest: code and guest page tables are always private; before
	 * CR4.PAE=1 every page is private. */
	if (a->kind != MC_AMD_DATA || !a->paging_pae)
		return MC_AMD_GUEST_KEY;
	/* The table: guest C=1 -> guest key whatever the nested C-bit;
	 * guest C=0 -> nested C=1 host key, nested C=0 unencrypted. */
	if (a->c)
		return MC_AMD_GUEST_KEY;
	return a->nested_c ? MC_AMD_HOST_KEY : MC_AMD_UNENCRYPTED;
}

const char *mc_amd_enc_name(enum mc_amd_enc e)
{
	switch (e) {
	case MC_AMD_HOST_KEY:  return "encrypted with host key";
	case MC_AMD_GUEST_KEY: return "encrypted with guest key";
	default:               return "unencrypted";
	}
}
