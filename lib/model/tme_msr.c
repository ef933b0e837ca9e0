/* Intel TME/MKTME registers (Intel seed 4.1-4.2): IA32_TME_CAPABILITY,
 * IA32_TME_ACTIVATE with every row of Table 4-3, the exclusion range
 * (Tables 4-5, 4-6) and MK_TME_CORE_ACTIVATE (Table 4-4). CAPABILITY,
 * ACTIVATE and the exclusion range are package-scoped; CORE_ACTIVATE is
 * per core. */
#include "lib/model/state.h"
#include "lib/mem.h"
#include "arch/x86/msr-index.h"

static u32 keyid_bits(u64 activate)
{
	return (u32)((activate & TME_ACTIVATE_KEYID_BITS_MASK) >> TME_ACTIVATE_KEYID_BITS_SHIFT);
}

static u32 max_keyid_bits(u64 cap)
{
	return (u32)((cap & TME_CAP_MAX_KEYID_BITS_MASK) >> TME_CAP_MAX_KEYID_BITS_SHIFT);
}

static bool is_tme_msr(u32 msr)
{
	return msr == MSR_IA32_TME_CAPABILITY || msr == MSR_IA32_TME_ACTIVATE ||
	       msr == MSR_IA32_TME_EXCLUDE_MASK || msr == MSR_IA32_TME_EXCLUDE_BASE ||
	       msr == MSR_IA32_MKTME_CORE_ACTIVATE;
}

bool st_tme_rdmsr(struct mc_model_state *s, u32 cpu, u32 msr, u64 *val, int *fault)
{
	struct mc_model_pkg *pk = st_pkg(s, st_cpu(s, cpu)->package);

	if (!is_tme_msr(msr))
		return false;
	*fault = X86_TRAP_GP;
	/* Intel seed 4.1.1: CPUID.TME enumerates the four MSRs; 4.2.3: the
	 * core MSR #GPs if MKTME is not supported. */
	if (!st_tme_enumerated(s))
		return true;
	if (msr == MSR_IA32_MKTME_CORE_ACTIVATE && !max_keyid_bits(pk->capability))
		return true;
	*fault = 0;
	*val = msr == MSR_IA32_TME_CAPABILITY ? pk->capability :
	       msr == MSR_IA32_TME_ACTIVATE ? pk->activate :
	       msr == MSR_IA32_TME_EXCLUDE_MASK ? pk->excl_mask :
	       msr == MSR_IA32_TME_EXCLUDE_BASE ? pk->excl_base : st_cpu(s, cpu)->core_activate;
	return true;
}

/* Intel seed Table 4-3, in its row order. Returns 0 or #GP. */
static int activate_write(struct mc_model_state *s, struct mc_model_pkg *pk, u64 v)
{
	u64 cap = pk->capability;
	u32 policy = (u32)((v & TME_ACTIVATE_POLICY_MASK) >> TME_ACTIVATE_POLICY_SHIFT);
	u32 bits = keyid_bits(v);
	u64 reserved = TME_ACTIVATE_RESERVED_MASK;

	/* Bit 31 is defined only where CAPABILITY[31] enumerates bypass. */
	if (!(cap & TME_CAP_BYPASS_SUPPORTED))
		reserved |= TME_ACTIVATE_BYPASS;
	if (pk->activate & TME_ACTIVATE_LOCKED)                   /* "while lock status = 1" */
		return X86_TRAP_GP;
	if (v & reserved)                                          /* "reserved != 0" */
		return X86_TRAP_GP;
	if (!(cap & BIT_ULL(policy)))                              /* "unsupported policy value" */
		return X86_TRAP_GP;
	if (bits > max_keyid_bits(cap))                            /* "KEYID_BITS > MAX_KEYID_BITS" */
		return X86_TRAP_GP;
	if (bits && !(v & TME_ACTIVATE_ENABLED))                   /* "KEYID_BITS > 0 && enable == 0" */
		return X86_TRAP_GP;
	if (v & TME_ACTIVATE_CRYPTO_RESERVED_MASK)                 /* "CRYPTO_ALGS reserved bits" */
		return X86_TRAP_GP;

	v &= ~TME_ACTIVATE_LOCKED;                                 /* bit 0: written value ignored */
	if (!(v & TME_ACTIVATE_ENABLED)) {                         /* "enabled=0": locked, xx01b */
		pk->activate = v | TME_ACTIVATE_LOCKED;
		return 0;
	}

	u32 keylen = policy == TME_ACTIVATE_POLICY_AES_XTS_256 ? 64 : 32;
	u8 key[64];
	bool ok;
	if (!(v & TME_ACTIVATE_KEY_SELECT)) {                      /* new key from the RNG */
		ok = st_rand_bytes(s, key, keylen);
	} else {                                                   /* restore from storage */
		mc_memcpy(key, s->saved_tme_key, keylen);
		ok = !mc_is_zero(key, keylen);
	}
	if (!ok) {
		/* "RNG fail -> xx000b" / "zero key restored -> xx100b": not
		 * enabled, not locked. "KEYID_BITS > 0 and TME not activated:
		 * write not committed": the register keeps its old value except
		 * the status bits 2:0. */
		u64 status = v & TME_ACTIVATE_KEY_SELECT;
		if (bits)
			pk->activate = (pk->activate & ~GENMASK_ULL(2, 0)) | status;
		else
			pk->activate = (v & ~GENMASK_ULL(2, 0)) | status;
		mc_wipe(key, sizeof(key));
		return 0;
	}
	/* Success: xx011b (new key) or xx111b (restored), plus the other
	 * written fields ("any other legal values"). */
	mc_memcpy(pk->tme_key, key, keylen);
	pk->tme_key_len = keylen;
	pk->tme_gen = st_new_gen(s);
	if ((v & TME_ACTIVATE_SAVE_KEY) && !(v & TME_ACTIVATE_KEY_SELECT)) {
		mc_memset(s->saved_tme_key, 0, sizeof(s->saved_tme_key));
		mc_memcpy(s->saved_tme_key, key, keylen);
	}
	mc_wipe(key, sizeof(key));
	/* Intel seed 6.2.1.1.4: all KeyIDs default to TME behaviour on MKTME
	 * activation. */
	for (u32 k = 0; k < s->nkeys; k++) {
		struct mc_model_key *e = (struct mc_model_key *)((u8 *)s + pk->off_keys) + k;
		mc_wipe(e, sizeof(*e));
		e->mode = MC_KEY_MODE_TME;
	}
	pk->activate = v | TME_ACTIVATE_LOCKED;
	return 0;
}

/* Intel seed Tables 4-5 and 4-6. */
static int exclude_write(struct mc_model_state *s, struct mc_model_pkg *pk, u32 msr, u64 v)
{
	u64 field = GENMASK_ULL(s->maxphyaddr - 1, TME_EXCLUDE_ADDR_SHIFT);
	u64 legal = field | (msr == MSR_IA32_TME_EXCLUDE_MASK ? TME_EXCLUDE_MASK_ENABLE : 0);

	if (pk->activate & TME_ACTIVATE_LOCKED)      /* "If lock=1 ... WRMSR will #GP" */
		return X86_TRAP_GP;
	if (v & ~legal)                              /* bits above MAXPHYADDR, reserved low bits */
		return X86_TRAP_GP;
	if (msr == MSR_IA32_TME_EXCLUDE_MASK) {
		/* "must define a contiguous region": ones from MAXPHYADDR-1
		 * down, then zeros, as in the MTRR masks. */
		u64 holes = (~v & field) >> TME_EXCLUDE_ADDR_SHIFT;
		if (holes & (holes + 1))
			return X86_TRAP_GP;
		pk->excl_mask = v;
	} else {
		pk->excl_base = v;
	}
	return 0;
}

/* Intel seed Table 4-4: #GP without MKTME, #GP on a non-zero write; a
 * write (of 0) shadows the package's KeyID bits into this core. */
static int core_activate_write(struct mc_model_state *s, u32 cpu, struct mc_model_pkg *pk, u64 v)
{
	if (!max_keyid_bits(pk->capability) || v)
		return X86_TRAP_GP;
	if ((s->profile.faults & MC_FAULT_CORE_MISMATCH) && s->profile.core_mismatch_cpu == cpu)
		return 0;
	st_cpu(s, cpu)->core_activate = pk->activate & TME_ACTIVATE_KEYID_BITS_MASK;
	return 0;
}

bool st_tme_wrmsr(struct mc_model_state *s, u32 cpu, u32 msr, u64 val, int *fault)
{
	struct mc_model_pkg *pk = st_pkg(s, st_cpu(s, cpu)->package);

	if (!is_tme_msr(msr))
		return false;
	if (!st_tme_enumerated(s)) {                 /* Table 4-3 "not enumerated" */
		*fault = X86_TRAP_GP;
		return true;
	}
	switch (msr) {
	case MSR_IA32_TME_CAPABILITY:
		*fault = X86_TRAP_GP;                /* read-only (Table 4-1) */
		break;
	case MSR_IA32_TME_ACTIVATE:
		*fault = activate_write(s, pk, val);
		break;
	case MSR_IA32_MKTME_CORE_ACTIVATE:
		*fault = core_activate_write(s, cpu, pk, val);
		break;
	default:
		*fault = exclude_write(s, pk, msr, val);
		break;
	}
	return true;
}

/* Table 4-2 bit 0 "set upon successful WRMSR (or first SMI)"; 4.2.3 "The
 * first SMI on each core will also cause this value to be synchronized
 * with the package MSR value". */
void st_tme_smi(struct mc_model_state *s)
{
	if (!st_tme_enumerated(s))
		return;
	for (u32 k = 0; k < s->npkgs; k++)
		st_pkg(s, k)->activate |= TME_ACTIVATE_LOCKED;
	for (u32 c = 0; c < s->ncpus; c++) {
		struct mc_model_pkg *pk = st_pkg(s, st_cpu(s, c)->package);
		if ((s->profile.faults & MC_FAULT_CORE_MISMATCH) && s->profile.core_mismatch_cpu == c)
			continue;
		if (max_keyid_bits(pk->capability))
			st_cpu(s, c)->core_activate = pk->activate & TME_ACTIVATE_KEYID_BITS_MASK;
	}
}
