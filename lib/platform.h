/* The one platform interface (DESIGN.md "One core, two platforms").
 *
 * Everything that touches memory-encryption hardware goes through a
 * struct mc_platform. Two implementations exist:
 *   hw    - arch/x86/hw_platform.c (UEFI stage, kernel) and host/live_platform.c
 *           (Linux: CPUID + /dev/cpu/N/msr): the real instructions behind
 *           the exception fixups, so a #GP or #UD is a result.
 *   model - lib/model/: the spec-faithful software model (issue 4).
 *
 * Contract for every operation that can fault: return 0 on success, or the
 * x86 fault vector (X86_TRAP_GP, X86_TRAP_UD, ...), or MC_PLAT_ENOSYS when the
 * operation cannot be carried out at all on this platform (e.g. a CPU that
 * cannot be reached), never a made-up value.
 *
 * The struct holds function pointers and a context pointer, so each
 * front-end builds its own; only the model's state (plain data) travels in
 * the handoff. */
#ifndef MC_PLATFORM_H
#define MC_PLATFORM_H
#include "lib/types.h"

#define MC_PLAT_ENOSYS   (-1)   /* operation unavailable on this platform */
#define MC_PLAT_EINVAL   (-2)   /* bad argument (address outside memory ...) */
#define MC_PLAT_ENOMEM   (-3)   /* the model's sparse DRAM has no page left for a write */
#define MC_CPU_CURRENT   (-1)   /* "the CPU we are running on" */

struct cpuid_regs {
	u32 eax, ebx, ecx, edx;
};

struct mc_platform {
	const char *name;            /* "hw" or "model" */
	void *ctx;

	/* Topology: logical CPUs 0..n-1 and the package each belongs to. */
	int  (*cpu_count)(void *ctx);
	int  (*package_of)(void *ctx, int cpu);

	/* CPUID on the given CPU (MC_CPU_CURRENT for this one). Never faults:
	 * a leaf above the maximum returns what the hardware returns, so
	 * callers must guard leaves (FACTS.md). */
	void (*cpuid)(void *ctx, int cpu, u32 leaf, u32 subleaf, struct cpuid_regs *out);

	int  (*rdmsr)(void *ctx, int cpu, u32 msr, u64 *val);
	int  (*wrmsr)(void *ctx, int cpu, u32 msr, u64 val);

	/* PCONFIG leaf with RBX = s (Intel seed 6.2.1.1). On success returns 0
	 * and sets *rax and *zf; a #UD/#GP returns the vector. */
	int  (*pconfig)(void *ctx, int cpu, u32 leaf, const void *s, u64 *rax, bool *zf);

	/* Memory port. pa carries the KeyID bits (Intel) or the C-bit (AMD).
	 * read/write go through the encryption engine; raw_read returns the
	 * bytes as stored in DRAM (model: the engine's stored bytes; hw: a
	 * NO_ENCRYPT / C=0 alias after a flush). */
	int  (*mem_write)(void *ctx, u64 pa, const void *buf, size_t len);
	int  (*mem_read)(void *ctx, u64 pa, void *buf, size_t len);
	int  (*mem_raw_read)(void *ctx, u64 pa, void *buf, size_t len);
	void (*clflush)(void *ctx, u64 pa);
	void (*wbinvd)(void *ctx);

	/* RDRAND (or RDSEED) with retry; 0 or MC_PLAT_ENOSYS on failure. */
	int  (*rng)(void *ctx, u64 *val);

	/* Run fn(arg) on CPU cpu; 0, or MC_PLAT_ENOSYS. */
	int  (*on_cpu)(void *ctx, int cpu, void (*fn)(void *arg), void *arg);
};

/* Convenience wrappers: they keep call sites short and readable. */
static inline void mc_cpuid(const struct mc_platform *p, u32 leaf, u32 sub, struct cpuid_regs *r)
{
	p->cpuid(p->ctx, MC_CPU_CURRENT, leaf, sub, r);
}
static inline int mc_rdmsr(const struct mc_platform *p, int cpu, u32 msr, u64 *v)
{
	return p->rdmsr(p->ctx, cpu, msr, v);
}
static inline int mc_wrmsr(const struct mc_platform *p, int cpu, u32 msr, u64 v)
{
	return p->wrmsr(p->ctx, cpu, msr, v);
}

const char *mc_fault_name(int fault);   /* "#GP", "#UD", "ENOSYS", ... */

#endif
