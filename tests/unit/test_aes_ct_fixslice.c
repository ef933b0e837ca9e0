/* The fixsliced round functions of lib/crypto/aes_ct_core.h, checked
 * against the plain definitions of FIPS-197 on random planes (one u64
 * instance of the core, as aes_ct64.c builds it):
 *   - rotate_cells(x, dr, dc) moves cell (r+dr, c+dc) to (r, c), against a
 *     bit-by-bit map of the layout bit 16*row + 4*column + slot;
 *   - shift_rows_pow(n) is ShiftRows n times (5.1.2), P^4 the identity and
 *     P^2 its own inverse;
 *   - in every frame k, mix_columns_k(T) = P^-k(MixColumns(P^k(T))) (5.1.3)
 *     and inv_mix_columns_k undoes it (5.3.3);
 *   - Cipher and InvCipher with the frame-shifted key schedule are inverse
 *     for 10, 12 and 14 rounds (AES-192's 12 takes the single-round tail). */
#include "tests/unit/harness.h"
#include "lib/crypto/aes_ct64.h"
#include "lib/mem.h"
#include "tests/unit/test_rng.h"

#define CT_W u64
#define CT_FN(name) tfs_##name
#include "lib/crypto/aes_ct_core.h"

static u64 rng_state = 0x243F6A8885A308D3ULL;
static u64 rnd(void)
{
	return test_xorshift64(&rng_state);
}

static u64 cells_reference(u64 x, int dr, int dc)
{
	u64 out = 0;
	for (int r = 0; r < 4; r++)
		for (int c = 0; c < 4; c++)
			for (int s = 0; s < 4; s++) {
				int from = 16 * ((r + dr) & 3) + 4 * ((c + dc) & 3) + s;
				out |= ((x >> from) & 1) << (16 * r + 4 * c + s);
			}
	return out;
}

TEST(aes_ct, rotate_cells_matches_the_layout)
{
	int bad = 0, cases = 0;
	for (int dr = 1; dr <= 2; dr++)
		for (int dc = 0; dc < 4; dc++)
			for (int t = 0; t < 64; t++, cases++) {
				u64 x = rnd();
				if (tfs_rotate_cells(x, dr, dc) != cells_reference(x, dr, dc))
					bad++;
			}
	EXPECT(bad == 0, "rotate_cells(x, dr, dc) takes cell (r+dr, c+dc) for dr 1..2, dc 0..3 (%d random planes, %d wrong)",
	       cases, bad);
}

static void random_planes(u64 q[8])
{
	for (int i = 0; i < 8; i++)
		q[i] = rnd();
}

static bool same(const u64 a[8], const u64 b[8])
{
	return mc_memcmp(a, b, 8 * sizeof(u64)) == 0;
}

TEST(aes_ct, shift_rows_powers)
{
	int bad1 = 0, bad2 = 0, bad4 = 0;
	for (int t = 0; t < 64; t++) {
		u64 q[8], a[8], b[8];
		random_planes(q);
		for (int n = 0; n < 4; n++) {
			mc_memcpy(a, q, sizeof(a));
			mc_memcpy(b, q, sizeof(b));
			tfs_shift_rows_pow(a, n);
			for (int i = 0; i < n; i++)
				tfs_shift_rows(b);
			bad1 += !same(a, b);
		}
		mc_memcpy(a, q, sizeof(a));
		tfs_shift_rows_twice(a);
		tfs_shift_rows_twice(a);
		bad2 += !same(a, q);
		mc_memcpy(a, q, sizeof(a));
		for (int i = 0; i < 4; i++)
			tfs_shift_rows(a);
		bad4 += !same(a, q);
		mc_memcpy(a, q, sizeof(a));
		tfs_shift_rows_pow(a, -1);
		tfs_shift_rows(a);
		bad1 += !same(a, q);
	}
	EXPECT(bad1 == 0, "FIPS-197 5.1.2: shift_rows_pow(n) is ShiftRows n times for n 0..3, and -1 its inverse (%d wrong)", bad1);
	EXPECT(bad2 == 0, "P^2 (the lane byte swap of rows 1 and 3) is its own inverse (%d wrong)", bad2);
	EXPECT(bad4 == 0, "P^4 is the identity (%d wrong)", bad4);
}

TEST(aes_ct, mix_columns_in_every_frame)
{
	int bad_mc = 0, bad_inv = 0;
	for (int t = 0; t < 64; t++)
		for (int k = 0; k < 4; k++) {
			u64 q[8], fixed[8], plain[8];
			random_planes(q);
			mc_memcpy(fixed, q, sizeof(q));
			tfs_mix_columns_k(fixed, k);
			mc_memcpy(plain, q, sizeof(q));
			tfs_shift_rows_pow(plain, k);
			tfs_mix_columns_k(plain, 0);
			tfs_shift_rows_pow(plain, -k);
			bad_mc += !same(fixed, plain);
			tfs_inv_mix_columns_k(fixed, k);
			bad_inv += !same(fixed, q);
		}
	EXPECT(bad_mc == 0, "FIPS-197 5.1.3 in frames k = 0..3: mix_columns_k(T) = P^-k(MixColumns(P^k(T))) (%d of 256 wrong)",
	       bad_mc);
	EXPECT(bad_inv == 0, "FIPS-197 5.3.3: inv_mix_columns_k undoes mix_columns_k in every frame (%d of 256 wrong)", bad_inv);
}

TEST(aes_ct, cipher_and_inverse_for_10_12_14_rounds)
{
	static const int rounds_list[] = { 10, 12, 14 };
	for (int i = 0; i < 3; i++) {
		int rounds = rounds_list[i], bad = 0;
		u8 rk[16 * (AES_MAX_ROUNDS + 1)];
		struct aes_ct64_key key;
		for (size_t j = 0; j < sizeof(rk); j++)
			rk[j] = (u8)rnd();
		aes_ct64_set_key(&key, rk, rounds);
		for (int t = 0; t < 16; t++) {
			u64 q[8], x[8];
			random_planes(q);
			mc_memcpy(x, q, sizeof(q));
			aes_ct64_encrypt(&key, rounds, x);
			bad += same(x, q);
			aes_ct64_decrypt(&key, rounds, x);
			bad += !same(x, q);
		}
		EXPECT(bad == 0, "%d rounds: InvCipher(Cipher(x)) = x and Cipher(x) != x on 16 random states (%d wrong)",
		       rounds, bad);
	}
}

/* FIPS-197 Appendix C.1 (AES-128) and C.3 (AES-256): plaintext
 * 00112233445566778899aabbccddeeff under key 000102...; the block is put in
 * each of the four slots in turn (the others random) so every slot's
 * frame-shifted path is checked, both directions. */
#include "lib/crypto/aes_keysched.h"
#include "lib/crypto/cpu_features.h"

TEST(aes_ct, fips197_appendix_c_known_answers)
{
	static const u8 ct128[16] = { 0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
				      0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a };
	static const u8 ct256[16] = { 0x8e, 0xa2, 0xb7, 0xca, 0x51, 0x67, 0x45, 0xbf,
				      0xea, 0xfc, 0x49, 0x90, 0x4b, 0x49, 0x60, 0x89 };
	for (int v = 0; v < 2; v++) {
		size_t keylen = v ? 32 : 16;
		u8 key[32], pt[16], rk[16 * 15];
		for (int i = 0; i < 32; i++)
			key[i] = (u8)i;
		for (int i = 0; i < 16; i++)
			pt[i] = (u8)(0x11 * i);
		int rounds = aes_expand_key(rk, key, keylen);
		struct aes_ct64_key k;
		aes_ct64_set_key(&k, rk, rounds);
		int bad_enc = 0, bad_dec = 0;
		u32 builds = k.bmi2 ? 2 : 1;   /* the BMI2 build where the CPU has it, and the baseline */
		for (int slot = 0; slot < 4 * (int)builds; slot++) {
			k.bmi2 = slot >= 4;
			u8 blocks[64], orig[64];
			u64 q[8];
			for (int i = 0; i < 64; i++)
				blocks[i] = (u8)rnd();
			mc_memcpy(blocks + 16 * (slot & 3), pt, 16);
			mc_memcpy(orig, blocks, 64);
			aes_ct64_pack(q, blocks);
			aes_ct64_encrypt(&k, rounds, q);
			aes_ct64_unpack(blocks, q);
			bad_enc += mc_memcmp(blocks + 16 * (slot & 3), v ? ct256 : ct128, 16) != 0;
			aes_ct64_pack(q, blocks);
			aes_ct64_decrypt(&k, rounds, q);
			aes_ct64_unpack(blocks, q);
			bad_dec += mc_memcmp(blocks, orig, 64) != 0;
		}
		EXPECT(bad_enc == 0, "FIPS-197 C.%d: AES-%d of 00112233..ff in each of the 4 slots is %s, %s (%d wrong)",
		       v ? 3 : 1, v ? 256 : 128, v ? "8ea2b7ca..6089" : "69c4e0d8..c55a",
		       builds == 2 ? "baseline and BMI2 builds" : "baseline build (no BMI2 here)", bad_enc);
		EXPECT(bad_dec == 0, "FIPS-197 C.%d: InvCipher gives back all four blocks (%d slots wrong)", v ? 3 : 1, bad_dec);
	}
}

/* The key setup picks the BMI2 build exactly when CPUID has BMI1 and BMI2,
 * and both builds give the same planes, both directions, 10 and 14 rounds. */
TEST(aes_ct, bmi2_build_matches_the_baseline)
{
	u8 rk[16 * 15];
	struct aes_ct64_key k;
	for (size_t j = 0; j < sizeof(rk); j++)
		rk[j] = (u8)rnd();
	aes_ct64_set_key(&k, rk, 10);
	bool has = (cpu_features_detect() & CPUF_BMI2) != 0;
	EXPECT(k.bmi2 == (has ? 1u : 0u), "aes_ct64_set_key picks the %s build (CPUID.7.EBX BMI1+BMI2 %s)",
	       k.bmi2 ? "BMI2" : "baseline", has ? "set" : "clear");
	if (!has) {
		SKIP("aes_ct: CPU lacks BMI1/BMI2, so the BMI2 build cannot run here");
		return;
	}
	int bad = 0;
	for (int rounds = 10; rounds <= 14; rounds += 4) {
		aes_ct64_set_key(&k, rk, rounds);
		for (int t = 0; t < 32; t++) {
			u64 a[8], b[8];
			random_planes(a);
			mc_memcpy(b, a, sizeof(a));
			k.bmi2 = 1;
			if (t & 1)
				aes_ct64_decrypt(&k, rounds, a);
			else
				aes_ct64_encrypt(&k, rounds, a);
			k.bmi2 = 0;
			if (t & 1)
				aes_ct64_decrypt(&k, rounds, b);
			else
				aes_ct64_encrypt(&k, rounds, b);
			bad += !same(a, b);
		}
	}
	EXPECT(bad == 0, "the BMI2 and baseline builds agree on 64 random states, Cipher and InvCipher, 10 and 14 rounds (%d differ)",
	       bad);
}

/* The fused inverse S-box (aes_ct_core.h, linear layers from
 * scripts/gen-inv-sbox) on all 256 bytes: InvS(S(x)) = x and S(InvS(x)) =
 * x, with FIPS-197 Figure 7's S(0x00) = 0x63 and S(0x53) = 0xed and
 * Figure 14's InvS(0x00) = 0x52. */
TEST(aes_ct, inverse_sbox_all_bytes)
{
	int bad_round = 0, bad_known = 0;
	for (int part = 0; part < 4; part++) {
		u8 x[64], y[64];
		u64 q[8];
		for (int i = 0; i < 64; i++)
			x[i] = (u8)(64 * part + i);
		aes_ct64_pack(q, x);
		aes_ct64_sbox(q);
		aes_ct64_unpack(y, q);
		for (int i = 0; i < 64; i++) {
			if (x[i] == 0x00 && y[i] != 0x63)
				bad_known++;
			if (x[i] == 0x53 && y[i] != 0xed)
				bad_known++;
		}
		aes_ct64_inv_sbox(q);
		aes_ct64_unpack(y, q);
		bad_round += mc_memcmp(x, y, 64) != 0;
		aes_ct64_pack(q, x);
		aes_ct64_inv_sbox(q);
		aes_ct64_unpack(y, q);
		for (int i = 0; i < 64; i++)
			if (x[i] == 0x00 && y[i] != 0x52)
				bad_known++;
		aes_ct64_sbox(q);
		aes_ct64_unpack(y, q);
		bad_round += mc_memcmp(x, y, 64) != 0;
	}
	EXPECT(bad_round == 0, "FIPS-197 5.3.2: InvS(S(x)) = x and S(InvS(x)) = x for all 256 bytes (%d of 8 groups wrong)", bad_round);
	EXPECT(bad_known == 0, "S(00) = 63, S(53) = ed, InvS(00) = 52 (%d wrong)", bad_known);
}
