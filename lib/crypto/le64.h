/* 64-bit little-endian words of a byte buffer, and the XTS tweak times x on
 * such words: shared by the word-oriented code of lib/crypto (the ct64 and
 * ct256 XTS loops, the bitsliced packing, the GF(2^128) tweak arithmetic).
 * Why __builtin_memcpy: GCC turns it into one unaligned 64-bit move (also
 * in the freestanding builds, where plain memcpy is not a builtin); the
 * byte-by-byte form was not always merged and cost 28 byte loads per four
 * blocks of ct64 (objdump). */
#ifndef MC_CRYPTO_LE64_H
#define MC_CRYPTO_LE64_H
#include "lib/types.h"

static inline u64 load_le64(const u8 *p)
{
	u64 v;
	__builtin_memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static inline void store_le64(u8 *p, u64 v)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	__builtin_memcpy(p, &v, 8);
}

/* Tweak times x (IEEE 1619 5.2) on its two little-endian words: shift the
 * 128-bit value left, fold the carry out of x^127 back as 0x87 through a
 * mask, no branch (the tweak is secret). */
static inline void xts_mul_x_words(u64 *lo, u64 *hi)
{
	u64 carry = *hi >> 63;
	*hi = (*hi << 1) | (*lo >> 63);
	*lo = (*lo << 1) ^ (0x87 & (0 - carry));
}

#endif
