/* Pure decoders of the memory-encryption registers: value in, fields out.
 * No platform access, so the BIOS stage, the kernel suites and the tests
 * use the same bit layouts the judgments use. */
#include "lib/checks/checks.h"
#include "arch/x86/msr-index.h"
#include "lib/mem.h"

/* Intel seed, Table 4-1. */
void mc_decode_tme_cap(u64 v, struct mc_tme_cap *out)
{
	mc_memset(out, 0, sizeof(*out));
	out->raw = v;
	out->aes_xts_128 = v & TME_CAP_AES_XTS_128;
	out->aes_xts_256 = v & TME_CAP_AES_XTS_256;
	out->bypass_supported = v & TME_CAP_BYPASS_SUPPORTED;
	out->max_keyid_bits = (u8)((v & TME_CAP_MAX_KEYID_BITS_MASK) >> TME_CAP_MAX_KEYID_BITS_SHIFT);
	out->max_keys = (u16)((v & TME_CAP_MAX_KEYS_MASK) >> TME_CAP_MAX_KEYS_SHIFT);
	out->reserved = v & TME_CAP_RESERVED_MASK;
}

/* Intel seed, Table 4-2. */
void mc_decode_tme_activate(u64 v, struct mc_tme_activate *out)
{
	mc_memset(out, 0, sizeof(*out));
	out->raw = v;
	out->locked = v & TME_ACTIVATE_LOCKED;
	out->enabled = v & TME_ACTIVATE_ENABLED;
	out->key_restore = v & TME_ACTIVATE_KEY_SELECT;
	out->save_key = v & TME_ACTIVATE_SAVE_KEY;
	out->policy = (u8)((v & TME_ACTIVATE_POLICY_MASK) >> TME_ACTIVATE_POLICY_SHIFT);
	out->bypass = v & TME_ACTIVATE_BYPASS;
	out->keyid_bits = (u8)((v & TME_ACTIVATE_KEYID_BITS_MASK) >> TME_ACTIVATE_KEYID_BITS_SHIFT);
	out->crypto_algs = (u16)((v & TME_ACTIVATE_CRYPTO_ALGS_MASK) >> TME_ACTIVATE_CRYPTO_ALGS_SHIFT);
	out->reserved = v & TME_ACTIVATE_RESERVED_MASK;
	out->crypto_reserved = v & TME_ACTIVATE_CRYPTO_RESERVED_MASK;
}

/* Intel seed, Tables 4-5 and 4-6. The mask field (MAXPHYSADDR-1:12) holds
 * the address bits that must match TMEEBASE, like the other range registers:
 * a contiguous region is ones from MAXPHYSADDR-1 down to bit k and zeros
 * below, and the region is then 2^k bytes at TMEEBASE. */
void mc_decode_tme_exclusion(u64 mask, u64 base, u8 phys_bits, struct mc_tme_exclusion *out)
{
	u64 field = (phys_bits > 12 && phys_bits <= 64) ? GENMASK_ULL(phys_bits - 1, 12) : 0;

	mc_memset(out, 0, sizeof(*out));
	out->mask_raw = mask;
	out->base_raw = base;
	out->enabled = mask & TME_EXCLUDE_MASK_ENABLE;
	out->mask = mask & field;
	out->base = base & field;
	out->reserved = (mask & ~(field | TME_EXCLUDE_MASK_ENABLE)) | (base & ~field);

	/* The complement of the mask inside the field, with the 4K offset
	 * bits, must be 2^k - 1 for a contiguous region of 2^k bytes. */
	u64 span = (~out->mask & field) | GENMASK_ULL(11, 0);
	out->contiguous = field && (span & (span + 1)) == 0;
	out->size = out->contiguous ? span + 1 : 0;   /* 0 if phys_bits == 64 overflowed */
	out->aligned = (out->base & ~out->mask & field) == 0;
}

/* Intel seed, Table 4-4. */
void mc_decode_core_activate(u64 v, struct mc_core_activate *out)
{
	out->raw = v;
	out->keyid_bits = (u8)((v & MK_TME_CORE_ACTIVATE_KEYID_BITS_MASK) >> MK_TME_CORE_ACTIVATE_KEYID_BITS_SHIFT);
	out->reserved = v & ~MK_TME_CORE_ACTIVATE_KEYID_BITS_MASK;
}

/* AMD CPUID 0x8000001F (FACTS.md). */
void mc_decode_amd_mem_encrypt(const struct cpuid_regs *r, struct mc_amd_mem_encrypt *out)
{
	mc_memset(out, 0, sizeof(*out));
	out->sme = r->eax & CPUID_8000001F_EAX_SME;
	out->sev = r->eax & CPUID_8000001F_EAX_SEV;
	out->page_flush = r->eax & CPUID_8000001F_EAX_PAGE_FLUSH;
	out->sev_es = r->eax & CPUID_8000001F_EAX_SEV_ES;
	out->sev_snp = r->eax & CPUID_8000001F_EAX_SEV_SNP;
	out->vmpl = r->eax & CPUID_8000001F_EAX_VMPL;
	out->sme_coherent = r->eax & CPUID_8000001F_EAX_SME_COHERENT;
	out->c_bit = (u8)(r->ebx & CPUID_8000001F_EBX_CBIT_MASK);
	out->reduction = (u8)((r->ebx & CPUID_8000001F_EBX_REDUCTION_MASK) >> CPUID_8000001F_EBX_REDUCTION_SHIFT);
	out->vmpls = (u8)((r->ebx & CPUID_8000001F_EBX_VMPLS_MASK) >> CPUID_8000001F_EBX_VMPLS_SHIFT);
	out->encrypted_guests = r->ecx;
	out->min_sev_asid = r->edx;
}

/* Intel seed, Table 4-2 bits 35:32 ("To support 255 keys, this field would
 * be set to a value of 8": KeyID 0 is TME's, so 2^bits - 1) and Table 4-1
 * MK_TME_MAX_KEYS ("KeyID 0 is specially reserved and is not accounted for"). */
u32 mc_tme_keyids(u8 keyid_bits, u16 max_keys)
{
	if (!keyid_bits)
		return 0;
	u32 addressable = keyid_bits >= 31 ? 0x7fffffffu : (1u << keyid_bits) - 1;
	return max_keys && max_keys < addressable ? max_keys : addressable;
}

/* Intel seed, Table 4-2 bits 7:4: 0000 AES-XTS-128, 0010 AES-XTS-256,
 * "Other values are invalid". */
const char *mc_tme_policy_name(u8 policy)
{
	switch (policy) {
	case TME_ACTIVATE_POLICY_AES_XTS_128: return "aes-xts-128";
	case TME_ACTIVATE_POLICY_AES_XTS_256: return "aes-xts-256";
	default:                              return NULL;
	}
}

/* Intel seed, Table 4-3: "Unsupported policy value
 * (IA32_TME_CAPABILITY[IA32_TME_ACTIVATE[7:4]] = 0)" is a #GP. */
bool mc_tme_policy_supported(const struct mc_tme_cap *cap, u8 policy)
{
	return mc_tme_policy_name(policy) && (cap->raw & BIT_ULL(policy));
}

/* Intel seed, Table 4-2 bits 63:48 against Table 4-1 bits 2:0: bit 48+i of
 * IA32_TME_ACTIVATE names the algorithm of capability bit i. */
u16 mc_tme_algs_unsupported(const struct mc_tme_cap *cap, u16 crypto_algs)
{
	u16 supported = 0;
	if (cap->aes_xts_128)
		supported |= (u16)(TME_ACTIVATE_CRYPTO_AES_XTS_128 >> TME_ACTIVATE_CRYPTO_ALGS_SHIFT);
	if (cap->aes_xts_256)
		supported |= (u16)(TME_ACTIVATE_CRYPTO_AES_XTS_256 >> TME_ACTIVATE_CRYPTO_ALGS_SHIFT);
	return (u16)(crypto_algs & ~supported);
}

u64 mc_facts_keyid_pa(const struct mc_facts *f, u64 pa, u16 keyid)
{
	if (!f->tme.mktme || !f->tme.keyid_bits)
		return pa;
	u64 field = GENMASK_ULL(f->phys_bits - 1, f->tme.keyid_shift);
	return (pa & ~field) | (((u64)keyid << f->tme.keyid_shift) & field);
}

const char *mc_vendor_name(u8 vendor)
{
	return vendor == MC_VENDOR_INTEL ? "intel" : vendor == MC_VENDOR_AMD ? "amd" : "other";
}

const char *mc_sev_guest_name(u8 guest)
{
	switch (guest) {
	case MC_GUEST_SEV:     return "sev";
	case MC_GUEST_SEV_ES:  return "sev-es";
	case MC_GUEST_SEV_SNP: return "sev-snp";
	default:               return NULL;
	}
}
