/* The hw implementation of struct mc_platform: the real instructions behind
 * the exception fixups (arch/x86/safe.h). The front-end supplies what only
 * it can do: reaching other CPUs (UEFI MP services; the kernel has only the
 * boot CPU) and mapping physical addresses with KeyID bits (the kernel's
 * page tables). Left NULL, those operations answer MC_PLAT_ENOSYS. */
#ifndef MC_X86_HW_PLATFORM_H
#define MC_X86_HW_PLATFORM_H
#include "lib/platform.h"

struct hw_platform_ops {
	int  (*cpu_count)(void *arg);
	int  (*package_of)(void *arg, int cpu);
	int  (*on_cpu)(void *arg, int cpu, void (*fn)(void *), void *fnarg);
	int  (*mem_write)(void *arg, u64 pa, const void *buf, size_t len);
	int  (*mem_read)(void *arg, u64 pa, void *buf, size_t len);
	int  (*mem_raw_read)(void *arg, u64 pa, void *buf, size_t len);
	/* CLFLUSH of the line at pa as tagged (KeyID / C-bit): needs a mapping
	 * with that tag. NULL: pa is flushed through the identity map. */
	void (*clflush)(void *arg, u64 pa);
	void *arg;
};

struct hw_platform {
	struct hw_platform_ops ops;
};

void hw_platform_init(struct hw_platform *hw, const struct hw_platform_ops *ops, struct mc_platform *out);

#endif
