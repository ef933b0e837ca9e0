/* AES key expansion (FIPS-197 5.2), shared by every backend: the byte round
 * keys it produces are what AES-NI/VAES use directly and what ct64 packs
 * into bit planes. Constant-time (SubWord runs on the bitsliced S-box). */
#ifndef MC_AES_KEYSCHED_H
#define MC_AES_KEYSCHED_H
#include "lib/types.h"

/* keylen 16 or 32; writes 16 * (rounds + 1) bytes; returns rounds (10 or
 * 14), or 0 for another key length. */
int aes_expand_key(u8 round_keys[16 * 15], const u8 *key, size_t keylen);

#endif
