/* Every register and bit memcrypt touches, spelled as Linux's
 * arch/x86/include/asm/msr-index.h spells them where Linux has a name.
 * Field layouts cite the seeds: Intel "Memory Encryption Technologies
 * Specification" rev 1.3 (Intel seed) and AMD's SME/SEV overview (AMD seed);
 * the AMD CPUID/MSR layouts beyond the overview are in shared/FACTS.md. */
#ifndef MC_MSR_INDEX_H
#define MC_MSR_INDEX_H
#include "lib/types.h"

/* Intel seed, Table 4-1: IA32_TME_CAPABILITY (981H), read-only. */
#define MSR_IA32_TME_CAPABILITY               0x00000981
#define TME_CAP_AES_XTS_128                   BIT_ULL(0)
#define TME_CAP_AES_XTS_256                   BIT_ULL(2)
#define TME_CAP_BYPASS_SUPPORTED              BIT_ULL(31)
#define TME_CAP_MAX_KEYID_BITS_SHIFT          32
#define TME_CAP_MAX_KEYID_BITS_MASK           GENMASK_ULL(35, 32)
#define TME_CAP_MAX_KEYS_SHIFT                36
#define TME_CAP_MAX_KEYS_MASK                 GENMASK_ULL(50, 36)
#define TME_CAP_RESERVED_MASK                 (GENMASK_ULL(63, 51) | GENMASK_ULL(30, 3) | BIT_ULL(1))

/* Intel seed, Table 4-2: IA32_TME_ACTIVATE (982H). */
#define MSR_IA32_TME_ACTIVATE                 0x00000982
#define TME_ACTIVATE_LOCKED                   BIT_ULL(0)
#define TME_ACTIVATE_ENABLED                  BIT_ULL(1)
#define TME_ACTIVATE_KEY_SELECT               BIT_ULL(2)   /* 1 = restore */
#define TME_ACTIVATE_SAVE_KEY                 BIT_ULL(3)
#define TME_ACTIVATE_POLICY_SHIFT             4
#define TME_ACTIVATE_POLICY_MASK              GENMASK_ULL(7, 4)
#define TME_ACTIVATE_POLICY_AES_XTS_128       0
#define TME_ACTIVATE_POLICY_AES_XTS_256       2
#define TME_ACTIVATE_BYPASS                   BIT_ULL(31)
#define TME_ACTIVATE_KEYID_BITS_SHIFT         32
#define TME_ACTIVATE_KEYID_BITS_MASK          GENMASK_ULL(35, 32)
#define TME_ACTIVATE_CRYPTO_ALGS_SHIFT        48
#define TME_ACTIVATE_CRYPTO_ALGS_MASK         GENMASK_ULL(63, 48)
#define TME_ACTIVATE_CRYPTO_AES_XTS_128       BIT_ULL(48)
#define TME_ACTIVATE_CRYPTO_AES_XTS_256       BIT_ULL(50)
/* Reserved: 30:8, 47:36, and crypto-algorithm bits 49 and 63:51. */
#define TME_ACTIVATE_RESERVED_MASK            (GENMASK_ULL(30, 8) | GENMASK_ULL(47, 36))
#define TME_ACTIVATE_CRYPTO_RESERVED_MASK     (BIT_ULL(49) | GENMASK_ULL(63, 51))

/* Intel seed, Tables 4-5 and 4-6: exclusion range (983H, 984H). */
#define MSR_IA32_TME_EXCLUDE_MASK             0x00000983
#define MSR_IA32_TME_EXCLUDE_BASE             0x00000984
#define TME_EXCLUDE_MASK_ENABLE               BIT_ULL(11)
#define TME_EXCLUDE_ADDR_SHIFT                12

/* Intel seed, Table 4-4: MK_TME_CORE_ACTIVATE (9FFH), per core. */
#define MSR_IA32_MKTME_CORE_ACTIVATE          0x000009ff
#define MK_TME_CORE_ACTIVATE_KEYID_BITS_SHIFT 32
#define MK_TME_CORE_ACTIVATE_KEYID_BITS_MASK  GENMASK_ULL(35, 32)

/* AMD: SYSCFG (C0010010h) bit 23 MemEncryptionModEn, per core (AMD seed
 * "SME" section; FACTS.md). */
#define MSR_AMD64_SYSCFG                      0xc0010010
#define MSR_AMD64_SYSCFG_MEM_ENCRYPT_BIT      23
#define MSR_AMD64_SYSCFG_MEM_ENCRYPT          BIT_ULL(MSR_AMD64_SYSCFG_MEM_ENCRYPT_BIT)

/* AMD beyond the seed (FACTS.md "AMD beyond SME"; AMD APM vol. 2 15.36):
 * SYSCFG bit 24 SecureNestedPagingEn, bit 25 VMPLEn; HWCR bit 0 SMMLOCK
 * (Linux disables SEV unless it is set); the RMP table the BIOS reserves. */
#define MSR_AMD64_SYSCFG_SNP_EN_BIT           24
#define MSR_AMD64_SYSCFG_SNP_EN               BIT_ULL(MSR_AMD64_SYSCFG_SNP_EN_BIT)
#define MSR_AMD64_SYSCFG_SNP_VMPL_EN_BIT      25
#define MSR_AMD64_SYSCFG_SNP_VMPL_EN          BIT_ULL(MSR_AMD64_SYSCFG_SNP_VMPL_EN_BIT)
#define MSR_K7_HWCR                           0xc0010015
#define MSR_K7_HWCR_SMMLOCK_BIT               0
#define MSR_K7_HWCR_SMMLOCK                   BIT_ULL(MSR_K7_HWCR_SMMLOCK_BIT)
#define MSR_AMD64_RMP_BASE                    0xc0010132
#define MSR_AMD64_RMP_END                     0xc0010133

/* AMD: SEV_STATUS (C0010131h), readable in a guest (FACTS.md). */
#define MSR_AMD64_SEV                         0xc0010131
#define MSR_AMD64_SEV_ENABLED                 BIT_ULL(0)
#define MSR_AMD64_SEV_ES_ENABLED              BIT_ULL(1)
#define MSR_AMD64_SEV_SNP_ENABLED             BIT_ULL(2)

/* Intel TDX beyond the seed (FACTS.md "TDX splits the KeyIDs"): the KeyID
 * split (bits 31:0 MKTME KeyIDs, 63:32 TDX private KeyIDs, which follow
 * the last MKTME KeyID), and SEAMRR, the range the TDX module runs in,
 * which exists when IA32_MTRRCAP bit 15 says so; PHYS_MASK bit 11 = the
 * BIOS enabled TDX. */
#define MSR_IA32_MKTME_KEYID_PARTITIONING     0x00000087
#define MSR_MTRRcap                           0x000000fe
#define MTRR_CAP_SEAMRR                       BIT_ULL(15)
#define MSR_IA32_SEAMRR_PHYS_BASE             0x00001400
#define MSR_IA32_SEAMRR_PHYS_MASK             0x00001401
#define SEAMRR_PHYS_MASK_LOCKED               BIT_ULL(10)
#define SEAMRR_PHYS_MASK_ENABLED              BIT_ULL(11)

/* CPUID features as (leaf, subleaf, register, bit), Linux's names. */
#define CPUID_LEAF_EXT_FEATURES               0x7          /* subleaf 0 */
/* CPUID leaf 0's vendor string in EBX, EDX, ECX: "Genu" "ineI" "ntel",
 * "Auth" "enti" "cAMD". */
#define CPUID_VENDOR_INTEL_EBX                0x756e6547
#define CPUID_VENDOR_INTEL_EDX                0x49656e69
#define CPUID_VENDOR_INTEL_ECX                0x6c65746e
#define CPUID_VENDOR_AMD_EBX                  0x68747541
#define CPUID_VENDOR_AMD_EDX                  0x69746e65
#define CPUID_VENDOR_AMD_ECX                  0x444d4163
#define CPUID_7_ECX_TME                       BIT(13)      /* X86_FEATURE_TME (Intel seed 4.1.1) */
#define CPUID_7_EDX_PCONFIG                   BIT(18)      /* X86_FEATURE_PCONFIG (Intel seed 6.2.3) */
#define CPUID_1_ECX_HYPERVISOR                BIT(31)      /* X86_FEATURE_HYPERVISOR */
#define CPUID_LEAF_PCONFIG                    0x1b         /* Intel seed 6.2.3.1 */
#define CPUID_LEAF_EXT_MAX                    0x80000000
#define CPUID_LEAF_ADDR_SIZES                 0x80000008   /* EAX[7:0] MAXPHYADDR */
#define CPUID_LEAF_AMD_MEM_ENCRYPT            0x8000001f
#define CPUID_8000001F_EAX_SME                BIT(0)
#define CPUID_8000001F_EAX_SEV                BIT(1)
#define CPUID_8000001F_EAX_PAGE_FLUSH         BIT(2)
#define CPUID_8000001F_EAX_SEV_ES             BIT(3)
#define CPUID_8000001F_EAX_SEV_SNP            BIT(4)
#define CPUID_8000001F_EAX_VMPL               BIT(5)
#define CPUID_8000001F_EAX_SME_COHERENT       BIT(10)
#define CPUID_8000001F_EBX_VMPLS_SHIFT        12
#define CPUID_8000001F_EBX_VMPLS_MASK         (0xf << 12)
#define CPUID_8000001F_EBX_CBIT_MASK          0x3f
#define CPUID_8000001F_EBX_REDUCTION_SHIFT    6
#define CPUID_8000001F_EBX_REDUCTION_MASK     (0x3f << 6)

/* PCONFIG (Intel seed 6.2): leaf, targets, commands, statuses. */
#define PCONFIG_LEAF_MKTME_KEY_PROGRAM        0
#define PCONFIG_TARGET_INVALID                0
#define PCONFIG_TARGET_MKTME                  1
#define MKTME_KEYID_SET_KEY_DIRECT            0    /* Table 6-5 */
#define MKTME_KEYID_SET_KEY_RANDOM            1
#define MKTME_KEYID_CLEAR_KEY                 2
#define MKTME_KEYID_NO_ENCRYPT                3
#define MKTME_AES_XTS_128                     BIT(0) /* CRYPTO_ALG field bit 0 */
#define MKTME_AES_XTS_256                     BIT(2) /* CRYPTO_ALG field bit 2 */
#define MKTME_PROG_SUCCESS                    0    /* Table 6-6 */
#define MKTME_INVALID_PROG_CMD                1
#define MKTME_ENTROPY_ERROR                   2
#define MKTME_INVALID_KEYID                   3
#define MKTME_INVALID_CRYPTO_ALG              4
#define MKTME_DEVICE_BUSY                     5

/* Intel seed, Table 6-4: MKTME_KEY_PROGRAM_STRUCT, 256-byte aligned. */
struct mktme_key_program {
	u16 keyid;
	u32 keyid_ctrl;       /* [7:0] command, [23:8] crypto alg, [31:24] reserved */
	u8  rsvd[58];
	u8  key_field_1[64];  /* data key, or entropy for RANDOM */
	u8  key_field_2[64];  /* tweak key, or entropy for RANDOM */
} __attribute__((packed));

#define MKTME_KEYID_CTRL(cmd, alg)  ((u32)(cmd) | ((u32)(alg) << 8))
#define MKTME_KEYID_CTRL_RSVD_MASK  0xff000000u

#endif
