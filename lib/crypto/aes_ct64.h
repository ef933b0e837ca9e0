/* Portable constant-time AES core, bitsliced over 64-bit words: four blocks
 * are processed at once, as eight bit planes q[0..7] (q[i] holds bit i of
 * all 64 state bytes). Used by the ct64 XTS backend and, for SubWord, by the
 * shared key schedule. No secret-dependent branch or table index anywhere. */
#ifndef MC_AES_CT64_H
#define MC_AES_CT64_H
#include "lib/types.h"

#define AES_MAX_ROUNDS 14

/* Bitsliced round keys, each round key replicated for the four slots and
 * stored in the frame the fixsliced rounds reach it in, keys 1..Nr with the
 * S-box's constant 0x63 in them (aes_ct_core.h): not FIPS-197's round keys
 * as planes, so only aes_ct64_encrypt/decrypt and the _words calls may read
 * them. */
struct aes_ct64_key {
	u64 sk[(AES_MAX_ROUNDS + 1) * 8];
	/* 1: run the BMI2 build of the same core (set from CPUID at set_key;
	 * a test may clear it to run the baseline build). */
	u32 bmi2;
	/* 1: with bmi2, pack and unpack by PDEP/PEXT in the _words calls (set
	 * from CPUF_PDEP_FAST; a test may clear it). */
	u32 pdep;
};

/* The AES S-box (FIPS-197 5.1.1) and its inverse on eight bit planes. */
void aes_ct64_sbox(u64 q[8]);
void aes_ct64_inv_sbox(u64 q[8]);

/* Four consecutive 16-byte blocks <-> bit planes. */
void aes_ct64_pack(u64 q[8], const u8 blocks[64]);
void aes_ct64_unpack(u8 blocks[64], const u64 q[8]);
/* The same from/to eight little-endian 64-bit words: block s is words 2s
 * (bytes 0-7) and 2s+1 (bytes 8-15). */
void aes_ct64_pack_words(u64 q[8], const u64 w[8]);
void aes_ct64_unpack_words(u64 w[8], const u64 q[8]);

/* From the standard byte round keys (FIPS-197 5.2, see aes_keysched.h). */
void aes_ct64_set_key(struct aes_ct64_key *k, const u8 *round_keys, int rounds);

/* Cipher / InvCipher (FIPS-197 5.1, 5.3) on four packed blocks. */
void aes_ct64_encrypt(const struct aes_ct64_key *k, int rounds, u64 q[8]);
void aes_ct64_decrypt(const struct aes_ct64_key *k, int rounds, u64 q[8]);

/* Pack, Cipher / InvCipher, unpack in one call, on four blocks as eight
 * little-endian words (as aes_ct64_pack_words): what XTS calls per four
 * blocks. Where PDEP is fast the packing is a PDEP/PEXT per half word and
 * it absorbs the fixsliced rounds' closing ShiftRows frame (P^2 for 10, 14
 * rounds), so the result is the same as the three calls above, cheaper. */
void aes_ct64_encrypt_words(const struct aes_ct64_key *k, int rounds, u64 w[8]);
void aes_ct64_decrypt_words(const struct aes_ct64_key *k, int rounds, u64 w[8]);

#endif
