/* Bitsliced constant-time AES, in the manner of the published 64-bit
 * bitsliced designs (Kasper-Schwabe; BearSSL's aes_ct64): our own code.
 *
 * Layout of a bit plane (why: makes MixColumns a pair of rotations):
 *   bit 16*row + 4*column + slot  of q[i]  =  bit i of state byte
 *   (row, column) of block "slot", slot 0..3.
 * A row is a 16-bit lane, a column a nibble inside it, so ShiftRows rotates
 * nibbles inside each lane and "the next row" is a 16-bit rotation. The
 * rounds are fixsliced (no ShiftRows; aes_ct_core.h), so the key schedule
 * below stores each round key in its round's frame, with the S-box's 0x63.
 *
 * The core is built twice, baseline and BMI2, and the key says which one
 * runs (and, in the BMI2 build, whether the words calls pack by PDEP): a
 * choice made from CPUID at key setup, never from data. */
#include "lib/crypto/aes_ct64.h"
#include "lib/crypto/cpu_features.h"
#include "lib/crypto/le64.h"
#include "lib/mem.h"

#define CT_W u64
#define CT_FN(name) ct64_##name
#include "lib/crypto/aes_ct_core.h"
#undef CT_FN

/* The same core built a second time for BMI2, chosen at key setup on CPUs
 * that have it. Why: x86's two-operand ROR/SHL/SHR make the compiler copy a
 * plane before every rotation it still needs; RORX/SHLX/SHRX have a separate
 * destination, so the rounds carry fewer MOVs (AES-128 core 10.9 -> 10.0
 * TSC cycles a byte, Sapphire Rapids-class Xeon). Still portable C, still
 * constant time: the choice depends on CPUID, never on data. */
#if defined(__clang__)
#pragma clang attribute push (__attribute__((target("bmi,bmi2"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("bmi,bmi2")
#endif
#define CT_FN(name) ct64bmi2_##name
#include "lib/crypto/aes_ct_core.h"
#undef CT_FN

static void encrypt_bmi2(const struct aes_ct64_key *k, int rounds, u64 io[8])
{
	ct64bmi2_encrypt(k, rounds, io);
}

static void decrypt_bmi2(const struct aes_ct64_key *k, int rounds, u64 io[8])
{
	ct64bmi2_decrypt(k, rounds, io);
}

/* PDEP packing. pack_words spreads the four bytes of a half word to every
 * other byte with three shift-and-mask steps; PDEP does it in one
 * instruction, and PEXT gathers them back: 315 instructions fewer per four
 * blocks (callgrind), 40-46 TSC cycles of 500-800 (Sapphire Rapids-class
 * Xeon; pack + unpack alone had been 88). The byte masks say
 * where the bytes go: EVEN/ODD as pack_words puts them; P2_* as they are
 * after P^2 (rows 1 and 3 swap the two bytes of their lanes, i.e. bytes
 * 2<->3 and 6<->7 of every word, which commutes with transpose8), so a
 * cipher whose rounds end in frame 2 needs no shift_rows_twice. PDEP/PEXT
 * take the same time whatever the source data; where they are microcoded
 * (AMD before Zen 3) the time depends on the mask's set bits, and these
 * masks are constants. CPUF_PDEP_FAST only says where they are quick. */
#define PDEP_EVEN    BYTES_EVEN
#define PDEP_ODD     (BYTES_EVEN << 8)
/* P^2 moves the row-1 and row-3 bytes (LANES_1_3_LO and the byte above
 * it): bytes 0, 3, 4, 7 and 1, 2, 5, 6. */
#define PDEP_P2_EVEN (PDEP_EVEN ^ LANES_1_3_LO ^ (LANES_1_3_LO << 8))
#define PDEP_P2_ODD  (PDEP_ODD ^ LANES_1_3_LO ^ (LANES_1_3_LO << 8))

static inline __attribute__((always_inline)) void pack_pdep(u64 q[8], const u64 w[8], u64 even, u64 odd)
{
	_Pragma("GCC unroll 4")
	for (int s = 0; s < 4; s++) {
		u64 lo = w[2 * s], hi = w[2 * s + 1];
		q[s] = __builtin_ia32_pdep_di(lo, even) | __builtin_ia32_pdep_di(hi, odd);
		q[4 + s] = __builtin_ia32_pdep_di(lo >> 32, even) | __builtin_ia32_pdep_di(hi >> 32, odd);
	}
	ct64bmi2_transpose8(q);
}

static inline __attribute__((always_inline)) void unpack_pext(u64 w[8], const u64 q[8], u64 even, u64 odd)
{
	u64 x[8];
	_Pragma("GCC unroll 8")
	for (int i = 0; i < 8; i++)
		x[i] = q[i];
	ct64bmi2_transpose8(x);
	_Pragma("GCC unroll 4")
	for (int s = 0; s < 4; s++) {
		w[2 * s] = __builtin_ia32_pext_di(x[s], even) | __builtin_ia32_pext_di(x[4 + s], even) << 32;
		w[2 * s + 1] = __builtin_ia32_pext_di(x[s], odd) | __builtin_ia32_pext_di(x[4 + s], odd) << 32;
	}
}

/* The planes stay in this function's registers and stack frame and are not
 * wiped, as in the core (per four blocks it would cost stores for nothing
 * the spills do not also hold): the callers wipe the words they hold. */
static void encrypt_words_bmi2(const struct aes_ct64_key *k, int rounds, u64 w[8])
{
	u64 q[8];
	if (!k->pdep) {
		ct64bmi2_encrypt_words(k, rounds, w);
		return;
	}
	pack_pdep(q, w, PDEP_EVEN, PDEP_ODD);
	ct64bmi2_encrypt_rounds(k, rounds, q);
	if ((rounds & 3) == 2) {
		unpack_pext(w, q, PDEP_P2_EVEN, PDEP_P2_ODD);
	} else {
		ct64bmi2_shift_rows_pow(q, rounds);
		unpack_pext(w, q, PDEP_EVEN, PDEP_ODD);
	}
}

static void decrypt_words_bmi2(const struct aes_ct64_key *k, int rounds, u64 w[8])
{
	u64 q[8];
	if (!k->pdep) {
		ct64bmi2_decrypt_words(k, rounds, w);
		return;
	}
	if ((rounds & 3) == 2) {
		pack_pdep(q, w, PDEP_P2_EVEN, PDEP_P2_ODD);
	} else {
		pack_pdep(q, w, PDEP_EVEN, PDEP_ODD);
		ct64bmi2_shift_rows_pow(q, -rounds);
	}
	ct64bmi2_decrypt_rounds(k, rounds, q);
	unpack_pext(w, q, PDEP_EVEN, PDEP_ODD);
}
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

/* CPUID once: a VM exit per key setup would cost more than the block the
 * model engine sets a key up for. BMI2 needs no OS state and the vendor and
 * family behind CPUF_PDEP_FAST do not change, so the answer holds after
 * boot. (A race between CPUs writes the same value.) */
#define FEATURES_ASKED BIT(31)   /* set once known holds CPUID's answer */
static u32 features_known(void)
{
	static volatile u32 known;
	if (!known)
		known = (cpu_features_detect() & (CPUF_BMI2 | CPUF_PDEP_FAST)) | FEATURES_ASKED;
	return known;
}

void aes_ct64_sbox(u64 q[8])
{
	ct64_sbox_circuit(q);
}

void aes_ct64_inv_sbox(u64 q[8])
{
	ct64_inv_sbox_circuit(q);
}

void aes_ct64_encrypt(const struct aes_ct64_key *k, int rounds, u64 io[8])
{
	if (k->bmi2)
		encrypt_bmi2(k, rounds, io);
	else
		ct64_encrypt(k, rounds, io);
}

void aes_ct64_decrypt(const struct aes_ct64_key *k, int rounds, u64 io[8])
{
	if (k->bmi2)
		decrypt_bmi2(k, rounds, io);
	else
		ct64_decrypt(k, rounds, io);
}

void aes_ct64_encrypt_words(const struct aes_ct64_key *k, int rounds, u64 w[8])
{
	if (k->bmi2)
		encrypt_words_bmi2(k, rounds, w);
	else
		ct64_encrypt_words(k, rounds, w);
}

void aes_ct64_decrypt_words(const struct aes_ct64_key *k, int rounds, u64 w[8])
{
	if (k->bmi2)
		decrypt_words_bmi2(k, rounds, w);
	else
		ct64_decrypt_words(k, rounds, w);
}

void aes_ct64_pack_words(u64 q[8], const u64 w[8])
{
	ct64_pack_words(q, w);
}

void aes_ct64_unpack_words(u64 w[8], const u64 q[8])
{
	ct64_unpack_words(w, q);
}

void aes_ct64_pack(u64 q[8], const u8 blocks[64])
{
	u64 w[8];
	_Pragma("GCC unroll 8")
	for (int i = 0; i < 8; i++)
		w[i] = load_le64(blocks + 8 * i);
	aes_ct64_pack_words(q, w);
	mc_wipe(w, sizeof(w));
}

void aes_ct64_unpack(u8 blocks[64], const u64 q[8])
{
	u64 w[8];
	aes_ct64_unpack_words(w, q);
	_Pragma("GCC unroll 8")
	for (int i = 0; i < 8; i++)
		store_le64(blocks + 8 * i, w[i]);
	mc_wipe(w, sizeof(w));
}

void aes_ct64_set_key(struct aes_ct64_key *k, const u8 *round_keys, int rounds)
{
	u8 four[64];
	for (int r = 0; r <= rounds; r++) {
		_Pragma("GCC unroll 4")
		for (int s = 0; s < 4; s++)
			mc_memcpy(four + 16 * s, round_keys + 16 * r, 16);
		aes_ct64_pack(&k->sk[8 * r], four);
		/* round r's key in the frame the fixsliced rounds reach it in */
		ct64_shift_rows_pow(&k->sk[8 * r], -r);
		if (r > 0)   /* the S-box constant the rounds leave out */
			ct64_xor_0x63(&k->sk[8 * r]);
	}
	k->bmi2 = (features_known() & CPUF_BMI2) != 0;
	k->pdep = (features_known() & CPUF_PDEP_FAST) != 0;
	mc_wipe(four, sizeof(four));
}

