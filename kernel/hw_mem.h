/* The kernel's hardware memory port (lib/platform.h mem_write / mem_read /
 * mem_raw_read / clflush with a KeyID or the C-bit in the address): each
 * page is mapped with its tag into a one-page window of the kernel's own
 * page tables (k->paging), INVLPG'd, then accessed. Reads go through the
 * guarded load, so a fault is a result (MC_PLAT_EINVAL), not a crash;
 * writes are accepted only for RAM the memory map lists.
 * raw_read is DRAM as stored: Intel through a KeyID programmed
 * KEYID_NO_ENCRYPT (the highest MKTME KeyID, reserved for this: never a
 * TDX private one, and taken out of what the suites get) after
 * WBINVD; AMD through a C=0 mapping after WBINVD (AMD seed: the C-bit
 * decides encryption per access). */
#ifndef MC_KERNEL_HW_MEM_H
#define MC_KERNEL_HW_MEM_H
#include "kernel/kernel.h"
#include "arch/x86/hw_platform.h"

/* Fill the memory operations of ops (arg = k). The KeyID geometry is taken
 * from kernel_facts() at each call, so it follows the checks suite. */
void hw_mem_ops(struct kernel_ctx *k, struct hw_platform_ops *ops);
/* The KeyID the raw view programs NO_ENCRYPT (Intel), 0 if there is none:
 * the highest MKTME KeyID, when PCONFIG exists and at least 4 MKTME
 * KeyIDs do (the suites keep 3). */
u32 hw_mem_raw_keyid(const struct mc_facts *f);
/* The window's linear address (PML4 slot 255, far from the identity map). */
#define HW_MEM_WINDOW 0x00007f8000000000ULL

#endif
