/* What every later judgment stands on: vendor, leaf ranges, the hypervisor
 * bit and MAX_PA (CPUID 0x80000008 EAX[7:0], Intel seed 4.1.4). */
#include "lib/checks/internal.h"

void mc_judge_cpu(const struct mc_facts *f, struct mc_results *res)
{
	mc_report(res, MC_INFO, "cpu.vendor", "%s (%s), max basic leaf 0x%x, max extended leaf 0x%x, %d CPUs in %d packages",
		  f->vendor_id, mc_vendor_name(f->vendor), f->max_basic_leaf, f->max_ext_leaf, f->cpus, f->packages);
	mc_report(res, MC_INFO, "cpu.hypervisor", f->hypervisor ? "running under a hypervisor (CPUID.1:ECX[31]=1): MSRs may be emulated"
								: "no hypervisor (CPUID.1:ECX[31]=0)");
	if (!f->have_addr_leaf) {
		mc_report(res, MC_WARN, "cpu.phys_bits", "CPUID 0x80000008 above the max extended leaf 0x%x: MAXPHYADDR taken as %u",
			  f->max_ext_leaf, f->phys_bits);
		return;
	}
	/* x86-64 physical addresses are at most 52 bits; 36 is the legacy floor. */
	mc_report_check(res, f->phys_bits >= 36 && f->phys_bits <= 52, "cpu.phys_bits",
			"MAXPHYADDR %u (CPUID 0x80000008 EAX[7:0]; expected 36..52)", f->phys_bits);
}
