/* FIPS-197 5.2 KeyExpansion for Nk = 4 (AES-128) and Nk = 8 (AES-256). */
#include "lib/crypto/aes_keysched.h"
#include "lib/crypto/aes_ct64.h"
#include "lib/mem.h"

/* SubWord (FIPS-197 5.2) through the bitsliced circuit: byte m of the word
 * becomes bit m of each plane, so no table is indexed by key bytes. */
static void sub_word(u8 w[4])
{
	u64 q[8] = { 0 };
	for (int i = 0; i < 8; i++)
		for (int m = 0; m < 4; m++)
			q[i] |= (u64)((w[m] >> i) & 1) << m;
	aes_ct64_sbox(q);
	for (int m = 0; m < 4; m++) {
		u8 b = 0;
		for (int i = 0; i < 8; i++)
			b |= (u8)(((q[i] >> m) & 1) << i);
		w[m] = b;
	}
	mc_wipe(q, sizeof(q));
}

int aes_expand_key(u8 rk[16 * 15], const u8 *key, size_t keylen)
{
	int nk, rounds;
	u8 t[4], rcon = 0x01;

	if (keylen == 16)
		nk = 4, rounds = 10;
	else if (keylen == 32)
		nk = 8, rounds = 14;
	else
		return 0;
	mc_memcpy(rk, key, keylen);
	for (int i = nk; i < 4 * (rounds + 1); i++) {
		mc_memcpy(t, rk + 4 * (i - 1), 4);
		if (i % nk == 0) {
			u8 first = t[0];   /* RotWord */
			t[0] = t[1];
			t[1] = t[2];
			t[2] = t[3];
			t[3] = first;
			sub_word(t);
			t[0] ^= rcon;
			rcon = (u8)((rcon << 1) ^ (0x1b & -(rcon >> 7)));
		} else if (nk > 6 && i % nk == 4) {
			sub_word(t);
		}
		for (int b = 0; b < 4; b++)
			rk[4 * i + b] = rk[4 * (i - nk) + b] ^ t[b];
	}
	mc_wipe(t, sizeof(t));
	return rounds;
}
