/* PCONFIG, leaf MKTME_KEY_PROGRAM, following the Intel seed's pseudo-code
 * (6.2.5) line by line, with the exceptions of 6.2.8/6.2.12. The key table
 * is package-scoped (6.2.1: "execute once per physical package"), so the
 * entry written is that of the executing CPU's package. */
#include "lib/model/state.h"
#include "lib/mem.h"
#include "arch/x86/msr-index.h"

static int popcount16(u32 v)
{
	int n = 0;
	for (v &= 0xffff; v; v &= v - 1)
		n++;
	return n;
}

static void fail(u64 *rax, bool *zf, u64 status)
{
	*rax = status;
	*zf = true;
}

int st_pconfig(struct mc_model_state *s, u32 cpu, u32 leaf, const void *sp, u64 *rax, bool *zf)
{
	struct mc_model_pkg *pk = st_pkg(s, st_cpu(s, cpu)->package);
	struct mktme_key_program t;

	/* 6.2.12: #UD if CPUID.7.0:EDX[18] = 0. */
	if (!st_pconfig_enumerated(s))
		return X86_TRAP_UD;
	/* "if (EAX != 0) #GP(0)" */
	if (leaf != PCONFIG_LEAF_MKTME_KEY_PROGRAM)
		return X86_TRAP_GP;
	/* "if (LOCK != 1 OR ENABLE != 1 OR MK_TME_KEYID_BITS == 0) #GP(0)" */
	if (!(pk->activate & TME_ACTIVATE_LOCKED) || !(pk->activate & TME_ACTIVATE_ENABLED) ||
	    !(pk->activate & TME_ACTIVATE_KEYID_BITS_MASK))
		return X86_TRAP_GP;
	/* "if (DS:RBX is not 256B aligned) #GP(0)" */
	if ((uintptr_t)sp & 0xff)
		return X86_TRAP_GP;
	/* "TMP_KEY_PROGRAM_STRUCT = DS:RBX.*" */
	mc_memcpy(&t, sp, sizeof(t));
	/* "RSVD field check" and "KEYID_CTRL.RSVD != 0" */
	if (!mc_is_zero(t.rsvd, sizeof(t.rsvd)) || (t.keyid_ctrl & MKTME_KEYID_CTRL_RSVD_MASK))
		goto gp;
	u32 cmd = t.keyid_ctrl & 0xff;
	u32 alg = (t.keyid_ctrl >> 8) & 0xffff;
	/* "ENC_ALG[0] == 1: KEY_FIELD_x.BYTES[63:16] != 0 -> #GP(0)" */
	if ((alg & MKTME_AES_XTS_128) &&
	    (!mc_is_zero(t.key_field_1 + 16, 48) || !mc_is_zero(t.key_field_2 + 16, 48)))
		goto gp;
	/* "ENC_ALG[2] == 1: KEY_FIELD_x.BYTES[63:32] != 0 -> #GP(0)" */
	if ((alg & MKTME_AES_XTS_256) &&
	    (!mc_is_zero(t.key_field_1 + 32, 32) || !mc_is_zero(t.key_field_2 + 32, 32)))
		goto gp;

	/* "Check for a valid command" */
	if (cmd > MKTME_KEYID_NO_ENCRYPT) {
		fail(rax, zf, MKTME_INVALID_PROG_CMD);
		goto out;
	}
	/* "KEYID > 2^MK_TME_KEYID_BITS - 1 OR KEYID > MK_TME_MAX_KEYS OR KEYID == 0" */
	u32 bits = (u32)((pk->activate & TME_ACTIVATE_KEYID_BITS_MASK) >> TME_ACTIVATE_KEYID_BITS_SHIFT);
	u32 max_keys = (u32)((pk->capability & TME_CAP_MAX_KEYS_MASK) >> TME_CAP_MAX_KEYS_SHIFT);
	if (t.keyid > (1u << bits) - 1 || t.keyid > max_keys || t.keyid == 0 || t.keyid >= s->nkeys) {
		fail(rax, zf, MKTME_INVALID_KEYID);
		goto out;
	}
	/* Beyond the seed (our reading, docs/model.md): a TDX private KeyID
	 * (above the MKTME share of MSR 0x87) is the TDX module's, programmed
	 * only in SEAM mode; outside SEAM the model answers INVALID_KEYID. */
	if (t.keyid > st_mktme_keyid_limit(s)) {
		fail(rax, zf, MKTME_INVALID_KEYID);
		goto out;
	}
	/* "NUM_BITS(CRYPTO_ALG) != 1 || (CRYPTO_ALG & MK_TME_CRYPTO_ALGS) == 0" */
	if (popcount16(alg) != 1 || !(((u64)alg << TME_ACTIVATE_CRYPTO_ALGS_SHIFT) & pk->activate)) {
		fail(rax, zf, MKTME_INVALID_CRYPTO_ALG);
		goto out;
	}
	/* "if (NOT KEY_TABLE_LOCK.ACQUIRE(WRITE)) ... DEVICE_BUSY" (6.2.4): the
	 * package's lock is a real one in the shared state, so CPUs running
	 * PCONFIG at once contend on it. The pconfig-busy fault stands for a
	 * holder the model cannot show (another agent). */
	u32 budget = __atomic_load_n(&s->busy_left, __ATOMIC_RELAXED);
	while (budget && !__atomic_compare_exchange_n(&s->busy_left, &budget, budget - 1, false, __ATOMIC_RELAXED,
						      __ATOMIC_RELAXED))
		;
	u32 unlocked = 0;
	if (budget || !__atomic_compare_exchange_n(&pk->key_table_lock, &unlocked, cpu + 1, false, __ATOMIC_ACQUIRE,
						   __ATOMIC_RELAXED)) {
		__atomic_add_fetch(&pk->busy_count, 1, __ATOMIC_RELAXED);
		fail(rax, zf, MKTME_DEVICE_BUSY);
		goto out;
	}

	/* "Before this point no changes to the key table are made": build the
	 * new entry aside and commit it whole (all-or-nothing, 6.2.4). */
	struct mc_model_key e;
	u32 klen = alg == MKTME_AES_XTS_256 ? 32 : 16;     /* bytes per key half */
	mc_memset(&e, 0, sizeof(e));
	e.alg = (u8)alg;
	switch (cmd) {
	case MKTME_KEYID_SET_KEY_DIRECT:
		e.mode = MC_KEY_MODE_OWN;
		mc_memcpy(e.key, t.key_field_1, klen);
		mc_memcpy(e.key + klen, t.key_field_2, klen);
		break;
	case MKTME_KEYID_SET_KEY_RANDOM:
		e.mode = MC_KEY_MODE_OWN;
		/* "TMP_RND_DATA_KEY = <<RNG>>; if (NOT ENOUGH ENTROPY) ENTROPY_ERROR",
		 * then the same for the tweak key. The pseudo-code jumps to EXIT
		 * holding KEY_TABLE_LOCK; the model releases it (a lock kept
		 * forever would make every later PCONFIG DEVICE_BUSY). */
		if (s->profile.faults & MC_FAULT_ENTROPY_ERROR) {
			mc_wipe(&e, sizeof(e));
			mc_wipe(&t, sizeof(t));
			fail(rax, zf, MKTME_ENTROPY_ERROR);
			__atomic_store_n(&pk->key_table_lock, 0, __ATOMIC_RELEASE);
			goto out;
		}
		st_drbg_bytes(s, e.key, klen);
		st_drbg_bytes(s, e.key + klen, klen);
		/* "Mix user supplied entropy": XOR with KEY_FIELD_x.BYTES[15:0]. */
		for (int i = 0; i < 16; i++) {
			e.key[i] ^= t.key_field_1[i];
			e.key[klen + i] ^= t.key_field_2[i];
		}
		break;
	case MKTME_KEYID_CLEAR_KEY:
		e.mode = MC_KEY_MODE_TME;                  /* DATA_KEY = TWEAK_KEY = '0 */
		break;
	default:
		e.mode = MC_KEY_MODE_PLAIN;                /* NO_ENCRYPTION */
		break;
	}
	e.gen = st_new_gen(s);
	e.by_cpu = (u16)cpu;
	/* Committed whole while the lock is held, in two writes -- the entry
	 * up to the data key's end, then the tweak key -- with a pause of
	 * MC_MODEL_KEY_HOLD plain iterations between, broken by a few PAUSEs
	 * (each leaves the vCPU's loop under TCG: a point where another vCPU
	 * runs even when TCG runs them in turn; many would cost a microsecond
	 * each on every PCONFIG). So another
	 * writer that got past a broken lock would leave a data key of one
	 * caller with the tweak key of another, which pconfig.concurrency
	 * would see in the ciphertext, and contention is observable on real
	 * CPUs. */
	struct mc_model_key *slot = st_key(s, st_cpu(s, cpu)->package, t.keyid);
	volatile u8 *dst = (volatile u8 *)slot;
	const u8 *src = (const u8 *)&e;
	size_t split = __builtin_offsetof(struct mc_model_key, key) + klen;
	for (size_t i = 0; i < split; i++)
		dst[i] = src[i];
	for (u32 step = 0; step < MC_MODEL_KEY_HOLD_PAUSES; step++) {
		for (volatile u32 spin = 0; spin < MC_MODEL_KEY_HOLD / MC_MODEL_KEY_HOLD_PAUSES; spin++)
			;
		__asm__ __volatile__("pause" ::: "memory");
	}
	for (size_t i = split; i < sizeof(e); i++)
		dst[i] = src[i];
	mc_wipe(&e, sizeof(e));
	st_forget_key(s, st_cpu(s, cpu)->package, t.keyid);
	pk->pconfig_count++;
	pk->pconfig_last_cpu = cpu;
	__atomic_store_n(&pk->key_table_lock, 0, __ATOMIC_RELEASE);   /* KEY_TABLE_LOCK.RELEASE() */
	*rax = MKTME_PROG_SUCCESS;
	*zf = false;
out:
	mc_wipe(&t, sizeof(t));
	return 0;
gp:
	mc_wipe(&t, sizeof(t));
	return X86_TRAP_GP;
}
