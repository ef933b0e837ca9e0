/* What the kernel's memory-encryption suites (paging, pconfig, encrypt,
 * lifecycle, sme) share: whether MKTME or SME is usable and why not, PCONFIG
 * on every package with a bounded DEVICE_BUSY retry, test memory, flushes
 * and software AES-XTS. Everything goes through the platform interface, so
 * the same code runs on hardware and on the model the UEFI stage handed
 * over. */
#ifndef MC_KERNEL_KSUITE_H
#define MC_KERNEL_KSUITE_H
#include "kernel/kernel.h"
#include "lib/checks/checks.h"
#include "arch/x86/pconfig.h"

/* The MKTME geometry a suite works with (Intel seed 5.1, Table 4-2). */
struct kmk {
	struct kernel_ctx *k;
	const struct mc_platform *p;
	const struct mc_facts *f;
	u32 max_pa;          /* CPUID 0x80000008 MAX_PA */
	u32 keyid_bits;      /* activated MK_TME_KEYID_BITS */
	u32 nkeyids;         /* KeyIDs the suites may program and map: 1..nkeyids
			      * (MKTME KeyIDs, without the raw view's) */
	u32 mktme_keyids;    /* MKTME KeyIDs 1..mktme_keyids (MSR 0x87's share) */
	u32 keyids;          /* every activated KeyID, TDX private ones too */
	u32 raw_keyid;       /* the raw view's reserved KeyID, 0 if none */
	u32 algs[16];        /* activated CRYPTO_ALG values */
	u32 nalgs;
};

/* NULL when MKTME is active and PCONFIG enumerated; else why not, with the
 * register or CPUID bit that says so (written into buf). */
const char *kmk_unusable(const struct mc_facts *f, char *buf, size_t size);
/* Fill m; if MKTME is not usable report SKIP under id with the reason and
 * return false. */
bool kmk_get(struct kernel_ctx *k, const char *id, struct kmk *m);
/* pa with keyid in the KeyID bits (Intel seed 5.1). */
u64  kmk_pa(const struct kmk *m, u64 pa, u32 keyid);

/* PCONFIG MKTME_KEY_PROGRAM, once per package (Intel seed 6.2.1, 7.4 note:
 * "execute PCONFIG on one LP on each package"), each call retried while it
 * returns DEVICE_BUSY, at most KPC_BUSY_TRIES times (6.2.4). The struct is
 * copied into a 256-byte aligned page (6.2.12 #GP otherwise) and wiped
 * after. Stops at the first fault or failure status. */
#define KPC_BUSY_TRIES 8
#define KPC_MAX_PKGS   8     /* MC_PROFILE_MAX_PACKAGES */
struct kpc_result {
	int  fault;          /* 0 or the vector (#GP, #UD) or MC_PLAT_ENOSYS */
	u64  status;         /* RAX (Table 6-6) when no fault */
	bool zf;
	u32  busy;           /* DEVICE_BUSY answers retried */
	int  pkg;            /* package of the failing call (or the last one) */
	u32  packages;       /* packages whose key table took the entry (below) */
	u32  passes;         /* loop passes (one per package meant) */
	/* Packages that executed it: on the model, the packages whose key
	 * table entry changed (the model's own record); on hardware, the
	 * package the executing CPU reads from its own CPUID topology. */
	u64  hit;
	int  cpu[KPC_MAX_PKGS];   /* platform CPU that ran package p's call */
	int  real[KPC_MAX_PKGS];  /* real CPU it ran on (kernel/smp.c) */
};
/* kernel-test=pkg0-only: every pass runs on package 0's CPU (the mutation
 * of issue 11 the suites must catch). */
extern bool kpc_mutation_pkg0_only;
/* The packages of the platform, and "package 0 by CPU 0 (real 0), ..." */
u32  kpc_packages(const struct kmk *m);
bool kpc_all_packages(const struct kmk *m, const struct kpc_result *r);
const char *kpc_where(const struct kpc_result *r, u32 pkgs, char *buf, size_t size);
/* WBINVD once on a CPU of every package (Intel seed 7.5 note); returns the
 * packages reached. */
u32  kwbinvd_all(struct kmk *m);
void kpc_program(struct kmk *m, u16 keyid, u32 cmd, u32 alg, const u8 *k1, const u8 *k2,
		 struct kpc_result *r);
/* One PCONFIG, no retry, struct at s as given (alignment tests). */
int  kpc_once(const struct kmk *m, int cpu, const void *s, u64 *rax, bool *zf);
/* A 256-byte aligned scratch page for hand-made structs. */
u8  *kpc_page(void);
/* A CPU of package pkg that is up (kernel/smp.c), else any of it, or -1. */
int  kpc_cpu_of(const struct mc_platform *p, int cpus, int pkg);
bool kpc_ok(const struct kpc_result *r);
/* "PROG_SUCCESS, ZF=0" / "#GP" ... for report lines. */
const char *kpc_describe(const struct kpc_result *r, char *buf, size_t size);

/* A fresh random XTS key K1 || K2 (len 32 or 64) from the platform RNG,
 * halves different. Never printed. */
bool ksuite_random_key(const struct mc_platform *p, u8 *key, size_t len);

/* Test memory: page n (0..KTEST_PAGES-1) of a region the suites own. On the
 * model, the simulated DRAM from 2 MiB up (package 0's slice); on hardware,
 * pages of the kernel's scratch area. 0 if none. */
#define KTEST_PAGES 32
u64  ktest_page(struct kernel_ctx *k, u32 n);
/* Write back and invalidate the lines of [pa, pa+len) cached under pa's
 * KeyID / C-bit (CLFLUSH, Intel seed 7.5 step 1d). */
void kflush(const struct mc_platform *p, u64 pa, size_t len);
/* A recognisable plaintext: bytes from seed, never all equal. */
void ksuite_pattern(u8 *buf, size_t len, u32 seed);
bool ksuite_all_zero(const u8 *buf, size_t len);

/* The software AES-XTS backend for ciphertext checks: SIMD state on
 * (x86_simd_enable), the best backend's known-answer self-test, falling back
 * to ct64 when it fails; reported once under id. Returns the backend. */
int  ksuite_xts_backend(struct kernel_ctx *k, const char *id);

/* Model only: are the DRAM bytes raw[0..len) of the line-aligned,
 * untagged address upa the software AES-XTS of plain under key (K1 || K2,
 * keylen 32 or 64), 64-byte units, tweak mc_model_tweak (docs/model.md)? */
bool ksuite_model_stored_under(struct kernel_ctx *k, const u8 *key, size_t keylen, u64 upa, const u8 *plain,
			       const u8 *raw, size_t len);
/* Model only: test page n (< KTEST_PAGES) of package pkg's slice of the
 * simulated DRAM (the engine encrypts a line with the keys of the package
 * whose slice holds it); 0 if none. */
u64  ktest_page_pkg(struct kernel_ctx *k, u32 pkg, u32 n);

/* Page-table pages for a suite's own tables: a kalloc'd block handed out
 * page by page, reused from the start on each ktables_reset. base_pa is
 * the physical address the tables believe block[0] has: the block's own
 * address for tables the CPU may walk, or a place in the model's simulated
 * DRAM the tables are copied to. */
struct ktables {
	u8 *block;
	u32 used, n;
	u64 base_pa;
};
/* Allocate the block once (n pages) and start handing it out again, with
 * base_pa the block's own address (set t->base_pa after for the model's
 * DRAM); false if there is no memory. */
bool ktables_reset(struct ktables *t, u32 n);
/* A pt_env over it (arch/x86/paging.h). */
struct pt_env;
void ktables_env(struct ktables *t, struct pt_env *env);

#endif
