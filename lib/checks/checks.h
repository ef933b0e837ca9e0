/* Validation of platform memory-encryption enablement: the one check library
 * the UEFI stage, the kernel and `memcrypt check` share.
 *
 * Three layers, one file each:
 *   enumerate.c  CPUID only: vendor, guarded leaves, TME/PCONFIG bits, leaf
 *                0x1B targets, MAX_PA, the hypervisor bit, AMD 0x8000001F.
 *   decode.c     pure decoders of the register values (no platform access),
 *                reused by the BIOS stage and the kernel suites.
 *   tme.c/sme.c  judgments: each one mc_report() result with a stable id,
 *                a verdict and the raw values (docs/report-format.md).
 *   percpu.c     reads a register on every CPU and compares.
 *   run.c        mc_checks_run: enumerate, read, decode, judge.
 *   json.c       the facts and results as one JSON object.
 *
 * Honesty rules (FACTS.md): every CPUID leaf is guarded by the maximum leaf
 * (CPUID 0 / 0x80000000) before it is read; an MSR is read only when CPUID
 * enumerates it, because QEMU returns 0 for unknown MSRs without #GP; a
 * feature that is not enumerated gives SKIP with the CPUID reason, never
 * PASS; a CPU the platform cannot reach gives SKIP, never PASS. */
#ifndef MC_CHECKS_H
#define MC_CHECKS_H
#include "lib/types.h"
#include "lib/platform.h"
#include "lib/report.h"
#include "lib/osview.h"

enum mc_vendor { MC_VENDOR_OTHER = 0, MC_VENDOR_INTEL, MC_VENDOR_AMD };

/* ---- decoded registers (decode.c) ---------------------------------------- */

/* Intel seed, Table 4-1. */
struct mc_tme_cap {
	u64  raw;
	bool aes_xts_128, aes_xts_256, bypass_supported;
	u8   max_keyid_bits;         /* MK_TME_MAX_KEYID_BITS, 0 = no MKTME */
	u16  max_keys;               /* MK_TME_MAX_KEYS (KeyID 0 not counted) */
	u64  reserved;               /* reserved bits that are set */
};

/* Intel seed, Table 4-2. */
struct mc_tme_activate {
	u64  raw;
	bool locked, enabled, key_restore, save_key, bypass;
	u8   policy;                 /* bits 7:4 */
	u8   keyid_bits;             /* MK_TME_KEYID_BITS */
	u16  crypto_algs;            /* MK_TME_CRYPTO_ALGS, bits 63:48 >> 48 */
	u64  reserved;               /* set bits among 30:8 and 47:36 */
	u64  crypto_reserved;        /* set bits among 49 and 63:51 */
};

/* Intel seed, Tables 4-5 and 4-6, against MAXPHYADDR. */
struct mc_tme_exclusion {
	u64  mask_raw, base_raw;
	bool enabled;
	u64  mask, base;             /* the address fields, bits MAXPA-1:12 */
	u64  size;                   /* bytes, valid when contiguous */
	bool contiguous;             /* mask is ones from MAXPA-1 down to some bit */
	bool aligned;                /* base has no bits outside the mask */
	u64  reserved;               /* set bits among 10:0 / 11:0 and >= MAXPA */
};

/* Intel seed, Table 4-4. */
struct mc_core_activate {
	u64 raw;
	u8  keyid_bits;
	u64 reserved;
};

/* AMD CPUID 0x8000001F (FACTS.md, AMD seed "SME technical details"). */
struct mc_amd_mem_encrypt {
	bool sme, sev, page_flush, sev_es, sev_snp, vmpl;
	bool sme_coherent;           /* EAX[10]: C=0/C=1 aliases kept coherent */
	u8   c_bit;                  /* EBX[5:0] */
	u8   reduction;              /* EBX[11:6] */
	u8   vmpls;                  /* EBX[15:12] */
	u32  encrypted_guests;       /* ECX */
	u32  min_sev_asid;           /* EDX */
};

void mc_decode_tme_cap(u64 v, struct mc_tme_cap *out);
void mc_decode_tme_activate(u64 v, struct mc_tme_activate *out);
void mc_decode_tme_exclusion(u64 mask, u64 base, u8 phys_bits, struct mc_tme_exclusion *out);
void mc_decode_core_activate(u64 v, struct mc_core_activate *out);
void mc_decode_amd_mem_encrypt(const struct cpuid_regs *r, struct mc_amd_mem_encrypt *out);

/* KeyIDs addressable with `keyid_bits` bits: 2^bits - 1 (KeyID 0 is TME's),
 * capped by MK_TME_MAX_KEYS when max_keys is non-zero (Intel seed Tables
 * 4-1, 4-2: "To support 255 keys, this field would be set to a value of 8"). */
u32  mc_tme_keyids(u8 keyid_bits, u16 max_keys);
/* Name of a TME policy value (Table 4-2 bits 7:4), NULL if invalid. */
const char *mc_tme_policy_name(u8 policy);
/* Does IA32_TME_CAPABILITY allow this policy? (Table 4-3: the capability bit
 * indexed by the policy value must be set.) */
bool mc_tme_policy_supported(const struct mc_tme_cap *cap, u8 policy);
/* MK_TME_CRYPTO_ALGS bits the capability does not support (Table 4-2 bit
 * 48 <-> Table 4-1 bit 0, bit 50 <-> bit 2). */
u16  mc_tme_algs_unsupported(const struct mc_tme_cap *cap, u16 crypto_algs);

/* Where the KeyID sits in a physical address (Intel seed 5.1: the upper
 * bits starting with the highest bit of MAX_PA): bits phys_bits-1 ..
 * phys_bits-keyid_bits. */
static inline u8 mc_keyid_shift(u8 phys_bits, u8 keyid_bits)
{
	return (u8)(phys_bits - keyid_bits);
}
/* AMD: the C-bit set on a physical address (AMD seed, SEV address
 * translation example: 0xABCD_E321 with C-bit 47 is 0x8000_ABCD_E321). */
static inline u64 mc_cbit_pa(u64 pa, u8 c_bit)
{
	return pa | BIT_ULL(c_bit);
}

/* ---- facts: what enumeration and the registers say ---------------------- */

enum mc_sev_guest { MC_GUEST_NONE = 0, MC_GUEST_SEV, MC_GUEST_SEV_ES, MC_GUEST_SEV_SNP };

#define MC_PCONFIG_MAX_TARGETS  16
#define MC_PCONFIG_MAX_SUBLEAF  32   /* scan bound if no invalid sub-leaf shows */

struct mc_facts {
	u8   vendor;                 /* enum mc_vendor */
	char vendor_id[13];          /* "GenuineIntel" ... */
	u32  max_basic_leaf, max_ext_leaf;
	bool hypervisor;             /* CPUID.1:ECX[31] */
	bool have_addr_leaf;         /* 0x80000008 within the max extended leaf */
	u8   phys_bits;              /* MAX_PA (0x80000008 EAX[7:0]), 36 if absent */
	u8   usable_phys_bits;       /* after KeyID bits or the AMD reduction */
	int  cpus, packages;

	struct {
		bool supported;              /* CPUID.7.0:ECX[13] */
		bool pconfig;                /* CPUID.7.0:EDX[18] */
		bool have_leaf_1b;           /* 0x1B within the max basic leaf */
		u8   pconfig_ntargets;
		u32  pconfig_targets[MC_PCONFIG_MAX_TARGETS];
		int  pconfig_subleaves;      /* valid sub-leaves before the invalid one */
		int  pconfig_bad_subleaf;    /* first malformed sub-leaf, -1 if none */
		bool pconfig_scan_ended;     /* an invalid sub-leaf ended the scan */
		int  cap_fault, activate_fault, exclusion_fault;  /* 0 or vector */
		bool read;                   /* capability and activate read */
		struct mc_tme_cap cap;
		struct mc_tme_activate act;
		struct mc_tme_exclusion excl;
		/* Linux's rule (FACTS.md): enabled by BIOS = lock && enable. */
		bool active;
		bool mktme;                  /* active and MK_TME_KEYID_BITS > 0 */
		u8   keyid_bits, keyid_shift;
		u32  keyids;                 /* usable KeyIDs (0 without MKTME) */
		/* TDX (FACTS.md "TDX splits the KeyIDs"): MSR 0x87
		 * IA32_MKTME_KEYID_PARTITIONING, read guarded when TME is on. */
		int  partition_fault;        /* 0, or the vector: no partition */
		bool partition_read;
		u64  partition;
		u32  mktme_keyids;           /* KeyIDs ordinary software may program
					      * and map: 1..mktme_keyids (= keyids
					      * without a partition) */
		u32  tdx_keyids;             /* TDX private KeyIDs, 0 without */
		u32  tdx_keyid_start;        /* first private KeyID (mktme_keyids+1),
					      * 0 without */
		/* SEAMRR (0x1400 base / 0x1401 mask, bit 11 = TDX enabled). */
		int  seamrr_fault;
		bool seamrr_read;
		u64  seamrr_base, seamrr_mask;
		bool tdx_enabled;            /* SEAMRR_PHYS_MASK bit 11 */
		/* Memory the CPU encrypts (fwupd's rule): TME active and either
		 * no bypass, or MKTME KeyIDs besides 0 are activated. */
		bool encrypts;
	} tme;

	struct {
		bool leaf;                   /* 0x8000001F within the max extended leaf */
		struct cpuid_regs raw;       /* 0x8000001F as read (zero if not) */
		struct mc_amd_mem_encrypt enc;
		bool supported;              /* AMD and EAX[0] */
		int  syscfg_fault;           /* on the current CPU */
		bool syscfg_read;            /* read (host, SME or SEV enumerated) */
		u64  syscfg;
		bool enabled;                /* SYSCFG[23] on every CPU reached */
		int  syscfg_cpus_read, syscfg_cpus_set, syscfg_unreachable;
		int  syscfg_first_clear;     /* a CPU with bit 23 clear, -1 if none */
		int  sev_status_fault;
		bool sev_status_read;
		u64  sev_status;
		u8   guest;                  /* enum mc_sev_guest */
		/* Host readiness beyond the seed (FACTS.md "AMD beyond SME"). */
		bool syscfg_snp, syscfg_vmpl; /* SYSCFG[24] SNP, [25] VMPLEn on this CPU */
		bool snp_enabled;            /* SYSCFG[24] on every CPU read */
		bool vmpl_enabled;           /* SYSCFG[25] on every CPU read */
		int  hwcr_fault;             /* HWCR 0xC0010015 on this CPU */
		bool hwcr_read;
		u64  hwcr;
		bool smm_locked;             /* HWCR[0] SMMLOCK on every CPU read */
		int  hwcr_first_unlocked;    /* -1 if none */
		int  rmp_fault;              /* RMP_BASE/RMP_END, read with SNP */
		bool rmp_read;
		u64  rmp_base, rmp_end;
		u32  es_asids;               /* ASIDs 1..min_sev_asid-1 (SEV-ES/SNP) */
		/* Linux keeps SEV only when SYSCFG[23] is set and SMM is locked
		 * (arch/x86/kernel/cpu/amd.c); true on a host where it would. */
		bool sev_usable;
		u8   tsme;                   /* enum mc_tri: from the OS view */
	} sme;

	/* The PSP's SEV_PLATFORM_STATUS as the OS view gave it (os.c), for
	 * JSON's `psp` member; psp_read false without an OS view. */
	bool psp_read;
	struct mc_psp_status psp;
};

/* Optional input from the UEFI stage (Intel seed 4.1, EFI_MEMORY_CPU_CRYPTO,
 * UEFI 2.8): conventional memory in the memory map and how much of it the
 * firmware marks as capable of CPU memory encryption. */
struct mc_check_input {
	bool have_memmap;
	u64  conventional_bytes, crypto_bytes;
	/* Highest RAM address + 1 (0: unknown): what the SNP RMP must cover. */
	u64  ram_top;
	/* What the OS says (Linux live, or a profile's `os` lines), or NULL.
	 * Gives TSME to the SME judgment and feeds the linux.* / kvm.* /
	 * psp.* judgments. */
	const struct mc_os_view *os;
};

/* Enumerate, read and judge. Results go to res (stage stamped by the
 * caller's mc_results_init); facts are filled for JSON and for reuse.
 * `in` may be NULL. Returns the number of FAIL results added. */
int mc_checks_run(const struct mc_platform *p, const struct mc_check_input *in,
		  struct mc_facts *facts, struct mc_results *res);

/* The pieces mc_checks_run uses, for front-ends that need only facts. */
void mc_enumerate(const struct mc_platform *p, struct mc_facts *f);
void mc_read_registers(const struct mc_platform *p, struct mc_facts *f);

/* One JSON object (docs/report-format.md). Returns the length written
 * (without the NUL), or -1 if buf is too small. */
int mc_checks_json(const struct mc_facts *f, const struct mc_results *res, char *buf, size_t size);

/* pa tagged with keyid at the facts' KeyID position (pa's KeyID field
 * replaced); pa unchanged when MKTME is not active. */
u64 mc_facts_keyid_pa(const struct mc_facts *f, u64 pa, u16 keyid);

/* NULL when the test kernel may run on this platform; else why not (an
 * SEV, SEV-ES or SNP guest: lib/checks/guest.c), written into buf. */
const char *mc_guest_handoff_refusal(const struct mc_facts *f, char *buf, size_t size);

const char *mc_vendor_name(u8 vendor);          /* "intel" "amd" "other" */
const char *mc_sev_guest_name(u8 guest);        /* NULL, "sev" ... */

#endif
