/* boot: what the skeleton promises — a valid handoff, our own descriptor
 * tables and exception fixups, a memory map that covers RAM. */
#include "kernel/kernel.h"
#include "arch/x86/cpu.h"
#include "arch/x86/safe.h"
#include "lib/fmt.h"
#include "lib/handoff.h"

void suite_boot(struct kernel_ctx *k);
void suite_boot(struct kernel_ctx *k)
{
	struct mc_handoff *h = k->handoff;
	const struct mc_mem_range *mm = (const void *)(uintptr_t)h->memmap;
	u64 usable = 0, crypto = 0, top = 0;

	for (u32 i = 0; i < h->memmap_count; i++) {
		u64 end = mm[i].base + mm[i].pages * 4096;
		if (mm[i].type == MC_MEM_USABLE || mm[i].type == MC_MEM_LOADER) {
			usable += mm[i].pages * 4096;
			if (mm[i].attr & MC_MEM_ATTR_CPU_CRYPTO)
				crypto += mm[i].pages * 4096;
		}
		if (end > top)
			top = end;
	}
	/* kmain refused an invalid handoff before any suite; this line
	 * checks it again here (it was an unconditional PASS), and adds what
	 * the validator does not: usable RAM in the map, and at least the CPU
	 * the stage ran on. */
	char why[160] = "";
	bool valid = mc_handoff_validate(h, why, sizeof(why));
	mc_report_check(k->res, valid && usable > 0 && h->cpu_count >= 1, "boot.handoff",
			"version %u, %u bytes, %u memory ranges (%llu MiB usable), %u CPU(s) from the stage, platform %s%s%s",
			h->version, h->size, h->memmap_count, (unsigned long long)(usable >> 20), h->cpu_count,
			h->platform_name, valid ? "" : ": ", why);
	mc_report(k->res, MC_INFO, "boot.memory", "%llu MiB usable, top of map 0x%llx, %llu MiB marked EFI_MEMORY_CPU_CRYPTO",
		  (unsigned long long)(usable >> 20), (unsigned long long)top, (unsigned long long)(crypto >> 20));

	/* The fixup path, both ways a probe can fault. */
	int v = x86_ud2_safe();
	mc_report_check(k->res, v == X86_TRAP_UD, "boot.fixup_ud",
			"guarded UD2 recovered with vector %d (expected 6, #UD)", v);
	u64 val = 0;
	v = x86_read64_safe(0x8000000000000000ULL, &val);
	mc_report_check(k->res, v == X86_TRAP_GP, "boot.fixup_gp",
			"guarded load from non-canonical 0x8000000000000000 recovered with vector %d (expected 13, #GP)", v);

	u16 cs;
	__asm__ __volatile__("mov %%cs, %0" : "=r"(cs));
	mc_report_check(k->res, cs == 0x08, "boot.gdt", "running on our own GDT (CS=0x%x, expected 0x08)", cs);
}
