/* Bitsliced constant-time AES, in the manner of the published 64-bit
 * bitsliced designs (Kasper-Schwabe; BearSSL's aes_ct64): our own code.
 *
 * Layout of a bit plane (why: makes MixColumns a pair of rotations):
 *   bit 16*row + 4*column + slot  of q[i]  =  bit i of state byte
 *   (row, column) of block "slot", slot 0..3.
 * A row is a 16-bit lane, a column a nibble inside it, so ShiftRows rotates
 * nibbles inside each lane and "the next row" is a 16-bit rotation. */
#include "lib/crypto/aes_ct64.h"
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

static inline u32 load_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static inline void store_le32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

static inline u64 load_le64(const u8 *p)
{
	return (u64)load_le32(p) | (u64)load_le32(p + 4) << 32;
}

static inline void store_le64(u8 *p, u64 v)
{
	store_le32(p, (u32)v);
	store_le32(p + 4, (u32)(v >> 32));
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
	}
	mc_wipe(four, sizeof(four));
}

