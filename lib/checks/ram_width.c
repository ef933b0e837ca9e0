/* tme.ram_addressable / sme.ram_addressable: does the RAM still fit under
 * the physical address bits that memory encryption leaves?
 *
 * Intel seed 5.1: with MKTME active the top MK_TME_KEYID_BITS of MAX_PA
 * carry the KeyID, so only MAX_PA - KeyID bits address memory, and 4.1.4
 * CPUID keeps reporting the full MAX_PA. AMD seed (SME): with SYSCFG[23]
 * set, CPUID 0x8000001F EBX[11:6] address bits are lost the same way.
 * Linux lowers x86_phys_bits by exactly these amounts (FACTS.md). RAM that
 * reaches past 2^usable cannot be addressed any more: an address up there
 * is read as a KeyID (or the C-bit's reserved bits), so a BIOS that
 * activated that many KeyID bits on a box with that much memory aliases
 * it. The RAM top comes from the memory map (the stage's GetMemoryMap,
 * Linux's /sys/firmware/memmap, the kernel's handoff, the model's DRAM). */
#include "lib/checks/internal.h"
#include "lib/fmt.h"

/* "16 GiB", "1 TiB", "768 MiB" for people, in the largest unit that
 * divides it; a "+" when the bytes are not a whole MiB (the hex is exact). */
static void size_text(u64 bytes, char *out, size_t len)
{
	static const char *const units[] = { "MiB", "GiB", "TiB", "PiB" };
	u64 v = bytes >> 20;
	unsigned u = 0;
	while (u + 1 < ARRAY_SIZE(units) && v >= 1024 && !(v & 1023))
		v >>= 10, u++;
	mc_snprintf(out, len, "%llu %s%s", (unsigned long long)v, units[u], bytes & 0xfffff ? "+" : "");
}

void mc_judge_ram_width(const struct mc_facts *f, const struct mc_check_input *in, struct mc_results *res)
{
	u64 top = in ? in->ram_top : 0;
	if (!top || !f->phys_bits)
		return;                              /* no memory map: nothing to judge */

	const char *id, *fmt_taken, *rule;
	unsigned taken;
	bool active;
	if (f->vendor == MC_VENDOR_INTEL && f->tme.supported) {
		id = "tme.ram_addressable";
		fmt_taken = "%u KeyID bits";
		rule = "Intel seed 5.1";
		active = f->tme.mktme;
		taken = active ? f->tme.keyid_bits : 0;
	} else if (f->vendor == MC_VENDOR_AMD && f->sme.enc.sme) {
		id = "sme.ram_addressable";
		fmt_taken = "reduction %u";
		rule = "AMD seed, SME; CPUID 0x8000001F EBX[11:6]";
		/* In a guest the reduction is the guest's (registers.c). */
		active = f->sme.enabled || f->sme.guest != MC_GUEST_NONE;
		taken = f->sme.enc.reduction;
	} else {
		return;
	}
	if (!taken || taken >= f->phys_bits)
		return;                              /* nothing taken, or geometry judged elsewhere */

	unsigned left = f->phys_bits - taken;
	u64 limit = left < 64 ? BIT_ULL(left) : ~0ULL;
	char top_s[24], limit_s[24], taken_s[24];
	size_text(top, top_s, sizeof(top_s));
	size_text(limit, limit_s, sizeof(limit_s));
	mc_snprintf(taken_s, sizeof(taken_s), fmt_taken, taken);
	if (top <= limit) {
		if (active)
			mc_report(res, MC_PASS, id, "RAM top 0x%llx (%s) <= 2^%u (%s) = MAXPHYADDR %u - %s (%s)",
				  (unsigned long long)top, top_s, left, limit_s, f->phys_bits, taken_s, rule);
		return;
	}
	mc_report(res, active ? MC_FAIL : MC_WARN, id, "RAM top 0x%llx (%s) > 2^%u (%s) = MAXPHYADDR %u - %s: RAM above is %s (%s)",
		  (unsigned long long)top, top_s, left, limit_s, f->phys_bits, taken_s,
		  active ? "unreachable" : "unreachable once SME is enabled", rule);
}
