/* Platform profiles: the text that tells the model what machine to be
 * (docs/profile-format.md). A parsed profile is a fixed-size, pointer-free
 * struct, so it can be copied into the model's state blob and travel with it
 * from the UEFI stage to the kernel. */
#ifndef MC_MODEL_PROFILE_H
#define MC_MODEL_PROFILE_H
#include "lib/types.h"
#include "lib/osview.h"

#define MC_PROFILE_VERSION      1
#define MC_PROFILE_MAX_CPUID    96     /* cpuid lines */
#define MC_PROFILE_MAX_MSR      48     /* msr lines */
/* Plain decimal literals: the parser's messages spell them (MC_STR). */
#define MC_PROFILE_MAX_CPUS     512    /* two sockets of a few hundred threads (issue 11) */
#define MC_PROFILE_MAX_PACKAGES 8
#define MC_PROFILE_DEFAULT_MEMORY (16ULL << 20)
#define MC_PROFILE_MIN_MEMORY_KIB 64
#define MC_PROFILE_MIN_MEMORY   ((u64)MC_PROFILE_MIN_MEMORY_KIB << 10)
/* The memory map a profile may describe: up to 16 TiB, a two-socket box
 * fully populated. Above MC_MODEL_FLAT_DRAM_MAX the model keeps only the
 * pages written (lib/model/state.h, "sparse DRAM"), so the size costs
 * nothing; the KeyID bits still bound it (mc_model_init). */
#define MC_PROFILE_MAX_MEMORY_TIB 16
#define MC_PROFILE_MAX_MEMORY   ((u64)MC_PROFILE_MAX_MEMORY_TIB << 40)

/* Injected faults (`fault NAME [ARG]`), bits of mc_profile.faults. */
#define MC_FAULT_RNG_FAIL       BIT(0)  /* RNG fails: TME new-key activation fails, rng() fails */
#define MC_FAULT_RESTORE_FAIL   BIT(1)  /* TME key restore yields a zero key */
#define MC_FAULT_ENTROPY_ERROR  BIT(2)  /* PCONFIG KEYID_SET_KEY_RANDOM lacks entropy */
#define MC_FAULT_PCONFIG_BUSY   BIT(3)  /* next pconfig_busy PCONFIGs at the lock get DEVICE_BUSY */
#define MC_FAULT_CORE_MISMATCH  BIT(4)  /* core_mismatch_cpu's MK_TME_CORE_ACTIVATE ignores the package */

struct mc_profile_cpuid {
	u32 leaf, subleaf;
	u32 eax, ebx, ecx, edx;
};

#define MC_PROFILE_MSR_GP       BIT(0)  /* `msr ADDR gp`: every access #GPs */

struct mc_profile_msr {
	u32 addr;
	u32 flags;                      /* MC_PROFILE_MSR_* */
	u64 value;                      /* reset value */
};

struct mc_profile {
	u32 version;                    /* MC_PROFILE_VERSION */
	u32 cpus;                       /* logical CPUs, default 1 */
	u32 packages;                   /* default 1; cpus are split evenly */
	u32 faults;                     /* MC_FAULT_* */
	u64 memory;                     /* simulated DRAM bytes */
	u32 pconfig_busy;               /* count for MC_FAULT_PCONFIG_BUSY */
	u32 core_mismatch_cpu;          /* CPU for MC_FAULT_CORE_MISMATCH */
	u32 seed_set;                   /* `seed N` given: the stage seeds the model with it */
	u64 seed;                       /* the model's DRBG seed: keys anyone can recompute, tests only */
	u32 n_cpuid;
	u32 n_msr;
	struct mc_profile_cpuid cpuid[MC_PROFILE_MAX_CPUID];
	struct mc_profile_msr   msr[MC_PROFILE_MAX_MSR];
	struct mc_os_view       os;     /* `os` lines: what Linux said on the captured box */
};

/* Parse profile text. name is used in messages. Returns 0, or -1 with
 * err = "name:LINE: what is wrong". Nothing partial is usable after an
 * error (the struct is cleared). */
int mc_profile_parse(struct mc_profile *p, const char *text, size_t len, const char *name,
		     char *err, size_t errlen);

/* One `os` line (profile_os.c, called by mc_profile_parse with the raw
 * line): NULL, or a static description of what is wrong. */
const char *mc_profile_os_line(struct mc_os_view *os, const char *line, size_t len);

/* Look-ups over a parsed profile (no semantics: the model adds those). */
const struct mc_profile_msr *mc_profile_find_msr(const struct mc_profile *p, u32 addr);
const struct mc_profile_cpuid *mc_profile_find_cpuid(const struct mc_profile *p, u32 leaf, u32 subleaf);

#endif
