#ifndef MC_KERNEL_PAGING_SETUP_H
#define MC_KERNEL_PAGING_SETUP_H
#include "kernel/kernel.h"
#include "arch/x86/paging.h"

struct kernel_paging {
	struct pt pt;
	struct pt_encoding enc;
};

/* Build, audit and load the identity map; false (with a FAIL reported) if
 * anything is wrong, in which case the firmware's tables stay in use. */
bool kernel_paging_setup(struct kernel_ctx *k, struct kernel_paging *out);
unsigned int kernel_max_pa(void);
/* Identity-map every memory-map range (but the stack guard page) and the framebuffer into a new pt
 * (largest pages alignment allows; leaves KeyID 0, tables table_keyid).
 * 0, or a PT_E* error with why filled. */
int kernel_identity_map(struct kernel_ctx *k, struct pt *pt, const struct pt_encoding *enc, u32 table_keyid,
			const struct pt_env *env, int levels, char *why, size_t whylen);
/* The 4 KiB page below the boot CPU's stack (kernel/entry.asm), which the
 * identity map leaves unmapped so a stack overflow faults. */
#define KERNEL_STACK_GUARD_BYTES 4096ULL
u64 kernel_stack_guard_base(void);
/* 5 when CR4.LA57 is on, else 4. */
int kernel_paging_levels(void);

#endif
