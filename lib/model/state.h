/* Internal layout of the model's state blob and the helpers the model's
 * files share. Everything here is plain data addressed by offsets from the
 * start of the blob, so the UEFI stage and the kernel (two binaries, same
 * compiler, x86-64) can both use it; nothing outside lib/model includes it. */
#ifndef MC_MODEL_STATE_H
#define MC_MODEL_STATE_H
#include "lib/model/model.h"
#include "lib/crypto/xts.h"

#define MC_KEY_MODE_TME      0   /* default: TME key or bypass (Intel seed 6.2.1.1.4) */
#define MC_KEY_MODE_OWN      1   /* ENCRYPT_WITH_KEYID_KEY (DIRECT or RANDOM) */
#define MC_KEY_MODE_PLAIN    2   /* NO_ENCRYPTION */

#define MC_CACHE_LINES       64  /* write-back cache: 64 lines of 64 bytes (docs/model.md) */
#define MC_LINE              64
#define MC_XTS_SLOTS         4   /* expanded-key cache */
#define MC_AMD_TAG_PLAIN     0   /* cache tags for AMD: C-bit value */
#define MC_AMD_TAG_ENC       1

/* Sparse DRAM (issue 14, scale). Up to MC_MODEL_FLAT_DRAM_MAX the
 * simulated DRAM is one flat array in the blob. Above it (a big memory
 * map: `memory 1T`) the blob holds a pool of MC_MODEL_SPARSE_PAGES pages
 * of 4 KiB and an index from DRAM page number to pool page: a page gets
 * its backing the first time a write reaches it, and a page never written
 * reads as zero bytes, as flat DRAM does after reset. A write that needs a
 * page when the pool is full fails whole (MC_PLAT_ENOMEM), never silently.
 * The index is open-addressed at load <= 1/2 (a hash of the page number,
 * linear probing); entries are never removed. */
#define MC_MODEL_FLAT_DRAM_MAX (1ULL << 30)
#define MC_MODEL_PAGE          4096
#define MC_MODEL_SPARSE_PAGES  4096   /* 16 MiB written at most: every suite and op script uses < 1 MiB */
#define MC_MODEL_SPARSE_INDEX  (2 * MC_MODEL_SPARSE_PAGES)
#define MC_MODEL_SPARSE_SHIFT  13     /* log2(MC_MODEL_SPARSE_INDEX) */

struct mc_model_dram_ix {
	u64 page_plus1;               /* DRAM page number + 1; 0: empty */
	u32 slot;                     /* pool page */
	u32 pad;
};

struct mc_model_cpu {
	u64 msr[MC_PROFILE_MAX_MSR];  /* per-CPU value of profile.msr[i] */
	u64 core_activate;            /* MK_TME_CORE_ACTIVATE (Intel seed Table 4-4) */
	u32 package;
	u32 pad;
};

struct mc_model_key {                 /* one MKTME key-table entry (Intel seed 6.1) */
	u8  mode;                     /* MC_KEY_MODE_* */
	u8  alg;                      /* MKTME_AES_XTS_128 or MKTME_AES_XTS_256 */
	u16 by_cpu;                   /* the CPU whose PCONFIG wrote this entry */
	u32 gen;                      /* changes whenever the key does */
	u8  key[64];                  /* data key || tweak key, 32 or 64 bytes */
};

struct mc_model_pkg {                 /* package-scoped registers and keys */
	u64 capability;               /* IA32_TME_CAPABILITY (read-only) */
	u64 activate;                 /* IA32_TME_ACTIVATE */
	u64 excl_mask, excl_base;     /* IA32_TME_EXCLUDE_MASK / _BASE */
	u8  tme_key[64];              /* platform TME key (K1 || K2) */
	u32 tme_key_len;              /* 0: none generated */
	u32 tme_gen;
	u64 off_keys;                 /* this package's key table (nkeys entries) */
	/* KEY_TABLE_LOCK (Intel seed 6.2.4), a real lock: the CPUs of the
	 * package that run PCONFIG at once (kernel: on real CPUs) contend on
	 * it; 0 unlocked, 1 + CPU holding it. */
	volatile u32 key_table_lock;
	/* What ran here: PCONFIGs that changed this package's key table and
	 * WBINVDs, with the last CPU of each; DEVICE_BUSY answers given. */
	u32 pconfig_count, pconfig_last_cpu;
	u32 wbinvd_count, wbinvd_last_cpu;
	u32 busy_count, pad;
};

struct mc_model_line {
	u64 pa;                       /* line address without KeyID / C-bit */
	u32 tag;                      /* KeyID (Intel) or C-bit (AMD) */
	u8  valid, dirty;
	u16 pad;
	u64 age;                      /* last use, for LRU */
	u8  data[MC_LINE];            /* plaintext, as caches hold it (Intel seed 2) */
};

struct mc_model_slot {                /* an expanded AES-XTS key */
	u32 valid, pkg, keyid, gen;
	u64 age;
	struct xts_ctx ctx;
};

#define MC_SLOT_TME     0xffffffffu   /* slot keyid for a package's TME key */

struct mc_model_state {
	u64 magic;
	u32 version;
	u32 hdr_size;                 /* sizeof(struct mc_model_state) */
	u64 size;                     /* whole blob */
	u64 off_cpus, off_pkgs, off_keys, off_cache, off_slots, off_dram;
	u64 dram_size;                /* the memory map: DRAM addresses 0..dram_size-1 */
	u64 off_index;                /* sparse DRAM's index (0: flat DRAM) */
	u32 sparse;                   /* 1: DRAM pages live in a pool (above MC_MODEL_FLAT_DRAM_MAX) */
	u32 pages_used;               /* sparse: pool pages given out */
	u32 ncpus, npkgs;
	u32 nkeys;                    /* key-table entries per package (KeyIDs 0..nkeys-1) */
	u32 vendor;                   /* MC_MODEL_VENDOR_* */
	u32 maxphyaddr;
	u32 cbit;                     /* AMD C-bit position, 0 if none */
	u32 cur_cpu;                  /* CPU that runs now (on_cpu) */
	u32 smi_done;
	u32 busy_left;                /* pconfig-busy fault budget */
	u32 gen_next;                 /* key generation counter */
	u64 clock;                    /* LRU clock */
	u64 rng_seed, rng_ctr;        /* DRBG */
	u8  saved_tme_key[64];        /* "storage" for Key Select = 1 (restore) */
	u32 saved_key_len;
	u32 pad;
	u8  amd_host_key[32];         /* SME key: K1 || K2 for XTS-AES-128 */
	u8  amd_guest_key[32];        /* SEV guest key (guest profiles) */
	struct mc_profile profile;
};

static inline struct mc_model_state *ST(void *ctx) { return (struct mc_model_state *)ctx; }
static inline struct mc_model_cpu *st_cpu(struct mc_model_state *s, u32 cpu)
{
	return (struct mc_model_cpu *)((u8 *)s + s->off_cpus) + cpu;
}
static inline struct mc_model_pkg *st_pkg(struct mc_model_state *s, u32 pkg)
{
	return (struct mc_model_pkg *)((u8 *)s + s->off_pkgs) + pkg;
}
static inline struct mc_model_key *st_key(struct mc_model_state *s, u32 pkg, u32 keyid)
{
	return (struct mc_model_key *)((u8 *)s + st_pkg(s, pkg)->off_keys) + keyid;
}
static inline struct mc_model_line *st_cache(struct mc_model_state *s)
{
	return (struct mc_model_line *)((u8 *)s + s->off_cache);
}
static inline struct mc_model_slot *st_slots(struct mc_model_state *s)
{
	return (struct mc_model_slot *)((u8 *)s + s->off_slots);
}
static inline u8 *st_dram(struct mc_model_state *s) { return (u8 *)s + s->off_dram; }
static inline struct mc_model_dram_ix *st_dram_index(struct mc_model_state *s)
{
	return (struct mc_model_dram_ix *)((u8 *)s + s->off_index);
}

/* DRAM (dram.c): the bytes of the 4 KiB page that holds dpa (< dram_size).
 * Flat DRAM: always there. Sparse: NULL for a page never written (it reads
 * as zeros); with alloc, the page gets backing first, NULL only when the
 * pool is full. */
u8  *st_dram_page(struct mc_model_state *s, u64 dpa, bool alloc);

/* Resolve MC_CPU_CURRENT; -1 if cpu is out of range. */
int  st_cpu_index(struct mc_model_state *s, int cpu);

/* DRBG (state.c). st_rand_bytes is the RNG that TME key generation and
 * rng() use: false when the rng-fail fault is injected. st_drbg_bytes never
 * fails (PCONFIG's entropy has its own fault, entropy-error). */
bool st_rand_bytes(struct mc_model_state *s, u8 *out, size_t n);
void st_drbg_bytes(struct mc_model_state *s, u8 *out, size_t n);
u32  st_new_gen(struct mc_model_state *s);

/* CPUID as the profile answers it (cpuid.c). */
void st_cpuid(struct mc_model_state *s, u32 cpu, u32 leaf, u32 sub, struct cpuid_regs *r);
bool st_tme_enumerated(struct mc_model_state *s);      /* CPUID.7.0:ECX[13] */
bool st_pconfig_enumerated(struct mc_model_state *s);  /* CPUID.7.0:EDX[18] */
bool st_sme_supported(struct mc_model_state *s);       /* CPUID 0x8000001F EAX[0], guarded */

/* The highest KeyID software outside SEAM may program: the MKTME share of
 * IA32_MKTME_KEYID_PARTITIONING (MSR 0x87) when the profile lists it
 * with a non-zero share, else every KeyID (msr.c). */
u32  st_mktme_keyid_limit(struct mc_model_state *s);

/* rdmsr/wrmsr dispatch (msr.c): 0 or a fault vector. */
int  st_rdmsr(struct mc_model_state *s, u32 cpu, u32 msr, u64 *val);
int  st_wrmsr(struct mc_model_state *s, u32 cpu, u32 msr, u64 val);

/* Intel TME MSRs (tme_msr.c): true if msr is one of them (then *fault set). */
bool st_tme_rdmsr(struct mc_model_state *s, u32 cpu, u32 msr, u64 *val, int *fault);
bool st_tme_wrmsr(struct mc_model_state *s, u32 cpu, u32 msr, u64 val, int *fault);
void st_tme_smi(struct mc_model_state *s);

/* PCONFIG (pconfig.c). */
int  st_pconfig(struct mc_model_state *s, u32 cpu, u32 leaf, const void *sp, u64 *rax, bool *zf);

/* Memory engine (engine.c) and its crypto (engine_crypto.c). */
int  st_mem_write(struct mc_model_state *s, u64 pa, const void *buf, size_t len);
int  st_mem_read(struct mc_model_state *s, u64 pa, void *buf, size_t len);
int  st_mem_raw_read(struct mc_model_state *s, u64 pa, void *buf, size_t len);
void st_clflush(struct mc_model_state *s, u64 pa);
void st_wbinvd(struct mc_model_state *s);

/* How a line of DRAM is transformed: which key, or none. */
struct mc_line_key {
	bool plain;
	u32 pkg, keyid;               /* slot identity (keyid MC_SLOT_TME for the TME key) */
	u32 gen;
	const u8 *key;                /* K1 || K2 */
	u32 keylen;                   /* 32 or 64 */
};
/* Encrypt (dir XTS_ENCRYPT) or decrypt a unit-aligned span of whole units
 * at DRAM address dpa. */
void st_crypt_line(struct mc_model_state *s, const struct mc_line_key *k, u64 dpa, u32 unit,
		   const u8 *in, u8 *out, size_t len, int dir);
void st_forget_slots(struct mc_model_state *s);
/* Wipe the expanded keys of one key-table entry: PCONFIG replaced or
 * cleared its key, so no schedule of the old key outlives it in the state
 * (lines are always transformed with the entry's current generation). */
void st_forget_key(struct mc_model_state *s, u32 pkg, u32 keyid);

#endif
