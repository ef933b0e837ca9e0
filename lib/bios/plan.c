/* From a policy and the platform's capability to the register values: the
 * platform half of the policy checks (the syntax half is lib/policy.c).
 * Everything here is decided before the first write, so a policy the
 * platform cannot honour programs nothing. */
#include "lib/bios/program.h"
#include "lib/fmt.h"
#include "arch/x86/msr-index.h"

static bool refuse(char *err, size_t errlen, const struct mc_policy_origin *o, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static bool refuse(char *err, size_t errlen, const struct mc_policy_origin *o, const char *fmt, ...)
{
	char msg[160];
	va_list ap;
	va_start(ap, fmt);
	mc_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	mc_snprintf(err, errlen, "%s: %s", mc_policy_where(o), msg);
	return false;
}

/* MK_TME_CRYPTO_ALGS bit i <-> IA32_TME_CAPABILITY bit i (Intel seed
 * Tables 4-1, 4-2: 48 <-> 0 for AES-XTS-128, 50 <-> 2 for AES-XTS-256). */
static u16 cap_algs(const struct mc_tme_cap *cap)
{
	return (u16)((cap->aes_xts_128 ? BIT(0) : 0) | (cap->aes_xts_256 ? BIT(2) : 0));
}

static bool plan_exclusion(const struct mc_policy *pol, u8 phys_bits, struct mc_bios_plan *plan,
			   char *err, size_t errlen)
{
	if (!pol->exclude_set)
		return true;
	plan->exclude = true;
	if (!pol->exclude_size)
		return true;                      /* exclude=none: enable bit clear */
	/* Tables 4-5/4-6: bits 63:MAXPHYADDR are reserved; a 1 there #GPs. */
	u64 last = pol->exclude_base + pol->exclude_size - 1;
	if (phys_bits < 64 && (last >> phys_bits))
		return refuse(err, errlen, &pol->o_exclude,
			      "exclude=0x%llx:0x%llx: ends at 0x%llx, past MAXPHYADDR %u (Intel seed Tables 4-5, 4-6)",
			      (unsigned long long)pol->exclude_base, (unsigned long long)pol->exclude_size,
			      (unsigned long long)last, phys_bits);
	u64 field = GENMASK_ULL(phys_bits - 1, TME_EXCLUDE_ADDR_SHIFT);
	plan->exclude_base = pol->exclude_base & field;
	plan->exclude_mask = (~(pol->exclude_size - 1) & field) | TME_EXCLUDE_MASK_ENABLE;
	return true;
}

/* Address bits that reach every byte below ram_top (0 when unknown). */
static u8 ram_bits(u64 ram_top)
{
	u8 n = 0;
	for (u64 last = ram_top - 1; ram_top && last; last >>= 1)
		n++;
	return n;
}

bool mc_bios_plan_tme(const struct mc_policy *pol, const struct mc_tme_cap *cap, u8 phys_bits, u64 ram_top,
		      struct mc_bios_plan *plan, char *err, size_t errlen)
{
	u8 alg = pol->algorithm;
	u8 bits = pol->keyid_bits_set ? pol->keyid_bits : (pol->tme ? cap->max_keyid_bits : 0);
	u16 algs = pol->mktme_algs_set ? pol->mktme_algs : cap_algs(cap);
	u64 v = 0;

	plan->activate = 0;
	plan->keyid_bits = plan->keyid_bits_max = 0;
	plan->ram_bits = ram_bits(ram_top);
	plan->exclude = false;
	plan->exclude_base = plan->exclude_mask = 0;

	/* The TME policy: the one asked for, or the strongest enumerated.
	 * Table 4-3: "Unsupported policy value" #GPs. */
	if (!pol->algorithm_set)
		alg = cap->aes_xts_256 ? TME_ACTIVATE_POLICY_AES_XTS_256 : TME_ACTIVATE_POLICY_AES_XTS_128;
	if (!mc_tme_policy_supported(cap, alg))
		return refuse(err, errlen, &pol->o_algorithm,
			      "algorithm=%s: not enumerated by IA32_TME_CAPABILITY=0x%llx (Intel seed Table 4-1; "
			      "Table 4-3: unsupported policy #GPs)",
			      mc_policy_alg_name(alg), (unsigned long long)cap->raw);
	/* Table 4-3: "MK_TME_KEYID_BITS > MK_TME_MAX_KEYID_BITS" #GPs. */
	if (bits > cap->max_keyid_bits)
		return refuse(err, errlen, &pol->o_keyid_bits,
			      "keyid-bits=%u: above MK_TME_MAX_KEYID_BITS %u of IA32_TME_CAPABILITY=0x%llx (Intel seed Table 4-3)",
			      bits, cap->max_keyid_bits, (unsigned long long)cap->raw);
	/* Intel seed 5.1: the KeyID takes the top bits of MAXPHYADDR, so RAM
	 * must end below 2^(MAXPHYADDR - KeyID bits). The default (max) takes
	 * only what leaves it addressable; an explicit count that would not is
	 * refused, as it would alias the RAM above. */
	if (bits && plan->ram_bits && plan->ram_bits < phys_bits && bits > phys_bits - plan->ram_bits) {
		u8 fit = (u8)(phys_bits - plan->ram_bits);
		if (pol->keyid_bits_set)
			return refuse(err, errlen, &pol->o_keyid_bits,
				      "keyid-bits=%u: leaves %u of MAXPHYADDR %u's address bits, but RAM ends at 0x%llx and needs %u: "
				      "at most %u KeyID bits (Intel seed 5.1)",
				      bits, phys_bits - bits, phys_bits, (unsigned long long)ram_top, plan->ram_bits, fit);
		plan->keyid_bits_max = bits;
		bits = fit;
	}
	/* Table 4-3: "MK_TME_KEYID_BITS > 0 && TME Enable == 0" #GPs; 4.1.2
	 * "MKTME requires TME". */
	if (bits && !pol->tme)
		return refuse(err, errlen, &pol->o_keyid_bits,
			      "keyid-bits=%u with tme=off (%s): MKTME cannot be enabled without TME (Intel seed 4.1.2, Table 4-3)",
			      bits, mc_policy_where(&pol->o_tme));
	if (bits && mc_tme_algs_unsupported(cap, algs))
		return refuse(err, errlen, &pol->o_mktme_algs,
			      "mktme-algorithms: 0x%x not all enumerated by IA32_TME_CAPABILITY=0x%llx (Intel seed Table 4-2 bits 63:48)",
			      algs, (unsigned long long)cap->raw);
	/* Bit 31 exists only where CAPABILITY[31] enumerates bypass. */
	if (pol->bypass && !cap->bypass_supported)
		return refuse(err, errlen, &pol->o_bypass,
			      "bypass=on: IA32_TME_CAPABILITY=0x%llx bit 31 does not enumerate TME encryption bypass (Intel seed Table 4-1)",
			      (unsigned long long)cap->raw);
	if (!plan_exclusion(pol, phys_bits, plan, err, errlen))
		return false;

	v |= (u64)alg << TME_ACTIVATE_POLICY_SHIFT;
	if (pol->tme) {
		v |= TME_ACTIVATE_ENABLED;
		if (pol->key_restore)
			v |= TME_ACTIVATE_KEY_SELECT;
		if (pol->save_key)
			v |= TME_ACTIVATE_SAVE_KEY;
		if (pol->bypass)
			v |= TME_ACTIVATE_BYPASS;
		v |= (u64)bits << TME_ACTIVATE_KEYID_BITS_SHIFT;
		plan->keyid_bits = bits;
		if (bits)
			v |= (u64)algs << TME_ACTIVATE_CRYPTO_ALGS_SHIFT;
	}
	plan->activate = v;
	return true;
}
