/* Judgments on Intel TDX's share of the KeyIDs (beyond the seed: FACTS.md
 * "TDX splits the KeyIDs"). MSR 0x87 splits the activated KeyIDs into
 * MKTME KeyIDs 1..nr_mktme, which ordinary software may program and map,
 * and TDX private KeyIDs nr_mktme+1.., usable only in SEAM mode; SEAMRR
 * says whether the BIOS enabled TDX at all (Intel's check-tdx-host reads
 * IA32_SEAMRR_PHYS_MASK bit 11). */
#include "lib/checks/internal.h"
#include "arch/x86/msr-index.h"

#define PART "IA32_MKTME_KEYID_PARTITIONING=0x%016llx"

static void judge_partition(const struct mc_facts *f, struct mc_results *res)
{
	unsigned long long v = f->tme.partition;
	u32 nr_mktme = (u32)f->tme.partition, nr_tdx = (u32)(f->tme.partition >> 32);

	if (!f->tme.partition_read) {
		mc_report(res, MC_INFO, "tdx.partition", "RDMSR 0x87 raised %s: no KeyID partitioning, all %u KeyIDs are MKTME's",
			  mc_fault_name(f->tme.partition_fault), f->tme.keyids);
		return;
	}
	if (!nr_mktme && !nr_tdx) {
		mc_report(res, MC_INFO, "tdx.partition", PART ": no KeyIDs split off, all %u KeyIDs are MKTME's", v, f->tme.keyids);
		return;
	}
	/* The split shares what MK_TME_KEYID_BITS addresses (2^bits - 1, KeyID
	 * 0 aside): more than that names KeyIDs no address can carry. */
	u32 addressable = mc_tme_keyids(f->tme.act.keyid_bits, 0);
	u64 wanted = (u64)nr_mktme + nr_tdx;
	if (wanted > addressable) {
		mc_report(res, MC_FAIL, "tdx.partition",
			  PART ": %u MKTME + %u TDX KeyIDs > %u that MK_TME_KEYID_BITS=%u addresses",
			  v, nr_mktme, nr_tdx, addressable, f->tme.act.keyid_bits);
		return;
	}
	if (!nr_tdx) {
		mc_report(res, MC_PASS, "tdx.partition", PART ": %u MKTME KeyIDs, no TDX private KeyIDs", v, nr_mktme);
		return;
	}
	/* Linux prints the range this way (virt/tdx: "BIOS enabled: private
	 * KeyID range [%u, %u)"). */
	mc_report(res, MC_PASS, "tdx.partition",
		  PART ": MKTME KeyIDs 1..%u, TDX private KeyID range [%u, %u) (SEAM only); %u of %u addressable",
		  v, f->tme.mktme_keyids, f->tme.tdx_keyid_start, f->tme.tdx_keyid_start + nr_tdx,
		  (u32)wanted, addressable);
}

static void judge_seamrr(const struct mc_facts *f, struct mc_results *res)
{
	unsigned long long base = f->tme.seamrr_base, mask = f->tme.seamrr_mask;

	if (!f->tme.seamrr_read) {
		if (f->tme.tdx_keyids)
			mc_report(res, MC_FAIL, "tdx.seamrr", "%u TDX private KeyIDs but no SEAMRR (%s): nothing can use them",
				  f->tme.tdx_keyids, f->tme.seamrr_fault == MC_PLAT_ENOSYS ? "IA32_MTRRCAP[15]=0 or unreadable" :
				  mc_fault_name(f->tme.seamrr_fault));
		else
			mc_report(res, MC_INFO, "tdx.seamrr", "no SEAMRR (%s): no TDX on this platform",
				  f->tme.seamrr_fault == MC_PLAT_ENOSYS ? "IA32_MTRRCAP[15]=0 or unreadable" :
				  mc_fault_name(f->tme.seamrr_fault));
		return;
	}
	if (f->tme.tdx_enabled && !f->tme.tdx_keyids)
		mc_report(res, MC_FAIL, "tdx.seamrr",
			  "TDX enabled in the BIOS (IA32_SEAMRR_PHYS_MASK=0x%llx, bit 11) but no TDX private KeyIDs in MSR 0x87: TDX cannot run",
			  mask);
	else if (!f->tme.tdx_enabled && f->tme.tdx_keyids)
		mc_report(res, MC_FAIL, "tdx.seamrr",
			  "%u TDX private KeyIDs but SEAMRR not enabled (IA32_SEAMRR_PHYS_MASK=0x%llx, bit 11=0)", f->tme.tdx_keyids, mask);
	else if (!f->tme.tdx_enabled)
		mc_report(res, MC_INFO, "tdx.seamrr", "TDX not enabled in the BIOS (IA32_SEAMRR_PHYS_MASK=0x%llx, bit 11=0)", mask);
	else
		mc_report(res, MC_PASS, "tdx.seamrr",
			  "TDX enabled in the BIOS: SEAMRR base 0x%llx, mask 0x%llx%s, %u private KeyIDs",
			  base, mask, (mask & SEAMRR_PHYS_MASK_LOCKED) ? " (locked)" : "", f->tme.tdx_keyids);
}

void mc_judge_tdx(const struct mc_facts *f, struct mc_results *res)
{
	if (!f->tme.mktme)
		return;   /* no KeyIDs to split */
	judge_partition(f, res);
	judge_seamrr(f, res);
}
