/* Bitsliced constant-time AES, in the manner of the published 64-bit
 * bitsliced designs (Kasper-Schwabe; BearSSL's aes_ct64): our own code.
 *
 * Layout of a bit plane (why: makes MixColumns a pair of rotations):
 *   bit 16*row + 4*column + slot  of q[i]  =  bit i of state byte
 *   (row, column) of block "slot", slot 0..3.
 * A row is a 16-bit lane, a column a nibble inside it, so ShiftRows rotates
 * nibbles inside each lane and "the next row" is a 16-bit rotation. The
 * rounds are fixsliced (no ShiftRows; aes_ct_core.h), so the key schedule
 * below stores each round key in its round's frame, with the S-box's 0x63. */
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
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

/* CPUID once: a VM exit per key setup would cost more than the block the
 * model engine sets a key up for. BMI2 needs no OS state, so the answer
 * does not change after boot. (A race between CPUs writes the same value.) */
static u32 bmi2_available(void)
{
	static volatile u32 known;   /* 0 not yet asked, 1 no, 2 yes */
	if (!known)
		known = (cpu_features_detect() & CPUF_BMI2) ? 2 : 1;
	return known == 2;
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
	k->bmi2 = bmi2_available();
	mc_wipe(four, sizeof(four));
}

