/* Bitsliced constant-time AES, in the manner of the published 64-bit
 * bitsliced designs (Kasper-Schwabe; BearSSL's aes_ct64): our own code.
 *
 * Layout of a bit plane (why: makes MixColumns a pair of rotations):
 *   bit 16*row + 4*column + slot  of q[i]  =  bit i of state byte
 *   (row, column) of block "slot", slot 0..3.
 * A row is a 16-bit lane, a column a nibble inside it, so ShiftRows rotates
 * nibbles inside each lane and "the next row" is a 16-bit rotation. */
#include "lib/crypto/aes_ct64.h"
#include "lib/crypto/le64.h"
#include "lib/mem.h"

#define CT_W u64
#define CT_FN(name) ct64_##name
#include "lib/crypto/aes_ct_core.h"

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
	ct64_encrypt(k, rounds, io);
}

void aes_ct64_decrypt(const struct aes_ct64_key *k, int rounds, u64 io[8])
{
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
	}
	mc_wipe(four, sizeof(four));
}

