/* The emulated platform: a software model of Intel TME/MKTME (Intel seed)
 * and AMD SME/SEV (AMD seed) behind struct mc_platform (lib/platform.h).
 * What is and is not modelled: docs/model.md.
 *
 * The whole state is ONE contiguous, pointer-free blob: a header (magic,
 * version, size, offsets), the profile, per-CPU and per-package registers,
 * the key tables, a small write-back cache and the simulated DRAM. The UEFI
 * stage allocates and initialises it and hands its physical address to the
 * kernel, which attaches with its own code and continues the same platform.
 * Keys live only inside the blob; no function here returns or prints them. */
#ifndef MC_MODEL_MODEL_H
#define MC_MODEL_MODEL_H
#include "lib/types.h"
#include "lib/platform.h"
#include "lib/model/profile.h"

#define MC_MODEL_MAGIC    0x4c45444f4d434dULL   /* "MCMODEL\0" little-endian */
#define MC_MODEL_VERSION  3   /* 3: sparse DRAM fields in the header */

/* Bytes for the whole state including DRAM; 0 if the profile is unusable. */
size_t mc_model_state_size(const struct mc_profile *p);

/* Build a fresh platform (reset values, no keys, DRAM zero) in state.
 * seed drives the model's DRBG (platform keys, rng()). 0, or -1 with err. */
int    mc_model_init(void *state, size_t size, const struct mc_profile *p, u64 seed,
		     char *err, size_t errlen);

/* Validate magic/version/size of a state another binary built, and fill
 * out's function pointers (this binary's) with ctx = state. 0, or -1. */
int    mc_model_attach(void *state, size_t size, struct mc_platform *out);

/* An SMI on every CPU. The first one sets the IA32_TME_ACTIVATE lock (Intel
 * seed, Table 4-2 bit 0 "or first SMI") and synchronises each core's
 * MK_TME_CORE_ACTIVATE with its package (Intel seed 4.2.3). */
void   mc_model_smi(void *state);

/* ---- the memory engine's documented conventions (docs/model.md) ----------
 * Intel: one XTS data unit per 64-byte cache line; AMD: one per 16-byte
 * block. The tweak of a unit is its physical address with the KeyID bits /
 * C-bit cleared, as a 128-bit little-endian number; blocks inside a unit
 * are j = 0.. (xts_encrypt_block). Lets the kernel check DRAM bytes with the
 * software AES-XTS independently of the model. */
#define MC_MODEL_INTEL_UNIT 64
#define MC_MODEL_AMD_UNIT   16
void   mc_model_tweak(u64 unit_pa, u8 tweak[16]);
size_t mc_model_unit_size(const void *state);

/* Intel seed 5.1: with n KeyID bits the KeyID occupies PA bits
 * [maxphyaddr-1 : maxphyaddr-n]. */
static inline u64 mc_keyid_pa(u64 pa, u32 keyid, u32 maxphyaddr, u32 keyid_bits)
{
	u64 low = keyid_bits ? GENMASK_ULL(maxphyaddr - keyid_bits - 1, 0) : GENMASK_ULL(maxphyaddr - 1, 0);
	return (pa & low) | (keyid_bits ? (u64)keyid << (maxphyaddr - keyid_bits) : 0);
}
static inline u32 mc_keyid_of(u64 pa, u32 maxphyaddr, u32 keyid_bits)
{
	if (!keyid_bits)
		return 0;
	return (u32)((pa >> (maxphyaddr - keyid_bits)) & ((1ULL << keyid_bits) - 1));
}

/* The model's view for front-ends that need its geometry (page-table
 * builders, the kernel's independent checks). */
struct mc_model_info {
	u32 vendor;                  /* MC_MODEL_VENDOR_* */
	u32 maxphyaddr;              /* CPUID 0x80000008 EAX[7:0] of the profile */
	u32 keyid_bits;              /* active MK_TME_KEYID_BITS (package 0), Intel */
	u32 cbit;                    /* C-bit position, AMD (0 if none) */
	u64 dram_size;               /* the memory map: DRAM addresses 0..dram_size-1 */
	u64 dram_stored_max;         /* bytes the state can store: dram_size when flat, the pool when sparse */
	u32 dram_sparse;             /* 1: only written pages are stored (above 1 GiB, lib/model/state.h) */
	u32 dram_pages_stored;       /* sparse: 4 KiB pages written so far */
	u32 cpus, packages;
};
#define MC_MODEL_VENDOR_OTHER 0
#define MC_MODEL_VENDOR_INTEL 1
#define MC_MODEL_VENDOR_AMD   2
int    mc_model_info(const void *state, struct mc_model_info *out);
/* The profile's `os` lines (what Linux said on a captured box), or NULL
 * if state is not a model's. */
const struct mc_os_view *mc_model_os_view(const void *state);
/* The checks' input on the model, for the stage and the kernel alike: its
 * DRAM as the RAM an SNP RMP must cover, and from the profile's OS view
 * only TSME - the rest is what Linux said about the captured box before
 * the stage may have reprogrammed it, judged by `memcrypt check` only. */
struct mc_check_input;
void mc_model_check_input(const void *state, struct mc_check_input *in);

/* ---- who did what, per package (issue 11) ------------------------------
 * The model keeps, for each package, the PCONFIGs that wrote its key table
 * and the WBINVDs executed on it, with the last CPU of each, and for each
 * key-table entry the CPU whose PCONFIG wrote it. A front-end that runs
 * model CPUs on real CPUs (the kernel) tells the model which CPU executes a
 * WBINVD. Read-only views; no key byte leaves the model. */
struct mc_model_pkg_log {
	u32 pconfig_count, pconfig_last_cpu;
	u32 wbinvd_count, wbinvd_last_cpu;
	u32 busy_count;
};
int    mc_model_pkg_log(const void *state, u32 pkg, struct mc_model_pkg_log *out);
/* The CPU that last programmed (pkg, keyid) and the entry's generation
 * (changes with every write); -1 if out of range. */
int    mc_model_key_by(const void *state, u32 pkg, u32 keyid, u32 *cpu, u32 *gen);
/* WBINVD executed by model CPU cpu (recorded on its package). */
void   mc_model_wbinvd_on(void *state, u32 cpu);
/* Iterations between the two writes of a key-table entry (data key, then
 * tweak key) while KEY_TABLE_LOCK is held (lib/model/pconfig.c): a lock
 * that did not exclude would show as a mixed entry, and contention is
 * observable on real CPUs. */
#define MC_MODEL_KEY_HOLD        4000
#define MC_MODEL_KEY_HOLD_PAUSES  8

/* ---- AMD rules as pure functions (AMD seed, "SME technical details",
 * "SEV details", "SEV and SME interaction") ------------------------------ */

/* The C-bit has meaning only with CR4.PAE=1 and paging enabled. */
static inline bool mc_amd_cbit_effective(bool paging, bool cr4_pae)
{
	return paging && cr4_pae;
}

enum mc_amd_enc {
	MC_AMD_UNENCRYPTED = 0,
	MC_AMD_HOST_KEY,            /* SME key (host, ASID 0) */
	MC_AMD_GUEST_KEY,           /* the SEV guest's key */
};
enum mc_amd_kind {
	MC_AMD_DATA = 0,
	MC_AMD_CODE,                /* instruction fetch: always private in SEV */
	MC_AMD_GUEST_PT,            /* guest page-table walk: always private in SEV */
};
struct mc_amd_access {
	bool guest;                 /* guest mode (ASID != 0) */
	bool sev;                   /* the guest is an SEV guest */
	bool paging_pae;            /* paging with CR4.PAE=1 of the translating table's owner:
				     * host when !guest, the guest otherwise */
	bool c;                     /* C-bit in the host table (host mode) or guest table (guest) */
	bool nested_c;              /* C-bit in the nested page table (guest mode) */
	enum mc_amd_kind kind;
};
enum mc_amd_enc mc_amd_encryption(const struct mc_amd_access *a);
const char *mc_amd_enc_name(enum mc_amd_enc e);

#endif
