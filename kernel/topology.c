#include "kernel/topology.h"
#include "arch/x86/cpu.h"
#include "arch/x86/msr-index.h"
#include "lib/fmt.h"

/* Leaf 0x1F / 0xB: walk the levels until type 0 (invalid); the shift of
 * the last valid level moves the x2APIC ID to the package ID (SDM vol. 2
 * CPUID leaf 0BH/1FH, vol. 3 8.9.1). false when the leaf is empty. */
static bool extended(u32 leaf, struct ktopo *t)
{
	struct cpuid_regs r;
	u32 shift = 0;
	bool any = false;
	for (u32 sub = 0; sub < 8; sub++) {
		x86_cpuid(leaf, sub, &r);
		if (!((r.ecx >> 8) & 0xff) || !r.ebx)
			break;
		shift = r.eax & 0x1f;
		t->apic_id = r.edx;
		any = true;
	}
	if (any) {
		t->pkg_shift = shift;
		mc_snprintf(t->leaf, sizeof(t->leaf), "0x%x", leaf);
	}
	return any;
}

static u32 log2_up(u32 n)
{
	u32 s = 0;
	while ((1u << s) < n)
		s++;
	return s;
}

void ktopo_self(struct ktopo *t)
{
	struct cpuid_regs r0, r1, r;
	x86_cpuid(0, 0, &r0);
	x86_cpuid(1, 0, &r1);
	bool amd = r0.ebx == CPUID_VENDOR_AMD_EBX;
	t->apic_id = r1.ebx >> 24;
	t->pkg_shift = 0;
	if (!(!amd && r0.eax >= 0x1f && extended(0x1f, t)) && !(r0.eax >= 0xb && extended(0xb, t))) {
		x86_cpuid(0x80000000, 0, &r);
		if (amd && r.eax >= 0x80000008) {
			x86_cpuid(0x80000008, 0, &r);
			u32 size = (r.ecx >> 12) & 0xf;   /* ApicIdSize; 0: legacy NC + 1 */
			t->pkg_shift = size ? size : log2_up((r.ecx & 0xff) + 1);
			mc_snprintf(t->leaf, sizeof(t->leaf), "0x80000008");
		} else {
			/* HTT: EBX[23:16] addressable logical processor IDs. */
			t->pkg_shift = (r1.edx & BIT(28)) ? log2_up((r1.ebx >> 16) & 0xff) : 0;
			mc_snprintf(t->leaf, sizeof(t->leaf), "0x1");
		}
	}
	t->pkg_id = t->pkg_shift >= 32 ? 0 : t->apic_id >> t->pkg_shift;
}
