/* Tweak arithmetic (IEEE 1619-2007 5.2): the tweak of block j is
 * T_j = E_K2(i) * alpha^j in GF(2^128), alpha = x, reduction polynomial
 * x^128 + x^7 + x^2 + x + 1; the 16 bytes are a little-endian integer whose
 * bit k is the coefficient of x^k. The tweak is secret (it is derived from
 * K2), so every operation on it is branch-free; only j, which is public,
 * steers loops. */
#include "lib/crypto/xts_backend.h"
#include "lib/crypto/le64.h"

void xts_gf_double(u8 t[16])
{
	u64 lo = load_le64(t), hi = load_le64(t + 8);
	xts_mul_x_words(&lo, &hi);
	store_le64(t, lo);
	store_le64(t + 8, hi);
}

/* Bit k of w moves to bit 2k (the square of a GF(2) polynomial). */
static u64 spread32(u32 w)
{
	u64 x = w;
	x = (x | (x << 16)) & 0x0000FFFF0000FFFFULL;
	x = (x | (x << 8)) & 0x00FF00FF00FF00FFULL;
	x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FULL;
	x = (x | (x << 2)) & 0x3333333333333333ULL;
	x = (x | (x << 1)) & 0x5555555555555555ULL;
	return x;
}

/* r[0..3] (256 bits) mod x^128 + x^7 + x^2 + x + 1 into lo, hi. */
static void reduce256(const u64 r[4], u64 *lo, u64 *hi)
{
	u64 h0 = r[2], h1 = r[3];
	u64 l0 = r[0] ^ h0 ^ (h0 << 1) ^ (h0 << 2) ^ (h0 << 7);
	u64 l1 = r[1] ^ h1 ^ (h1 << 1) ^ (h1 << 2) ^ (h1 << 7)
	       ^ (h0 >> 63) ^ (h0 >> 62) ^ (h0 >> 57);
	u64 over = (h1 >> 63) ^ (h1 >> 62) ^ (h1 >> 57);   /* x^128.. x^134 */
	l0 ^= over ^ (over << 1) ^ (over << 2) ^ (over << 7);
	*lo = l0;
	*hi = l1;
}

static void gf_square(u64 *lo, u64 *hi)
{
	u64 r[4] = { spread32((u32)*lo), spread32((u32)(*lo >> 32)),
		     spread32((u32)*hi), spread32((u32)(*hi >> 32)) };
	reduce256(r, lo, hi);
}

/* a * b, constant-time in both operands: every bit of b is used as a mask. */
static void gf_mul(u64 *alo, u64 *ahi, u64 blo, u64 bhi)
{
	u64 rlo = 0, rhi = 0, lo = *alo, hi = *ahi;
	for (int i = 0; i < 128; i++) {
		u64 bit = i < 64 ? (blo >> i) & 1 : (bhi >> (i - 64)) & 1;
		u64 m = 0 - bit;
		rlo ^= lo & m;
		rhi ^= hi & m;
		xts_mul_x_words(&lo, &hi);
	}
	*alo = rlo;
	*ahi = rhi;
}

void xts_gf_mul_alpha_pow(u8 t[16], u64 j)
{
	u64 lo = load_le64(t), hi = load_le64(t + 8);

	if (j < 128) {
		/* the usual case (blocks of a page): j doublings */
		for (u64 k = 0; k < j; k++)
			xts_mul_x_words(&lo, &hi);
	} else {
		/* alpha^j by square-and-multiply on the public exponent:
		 * squaring is linear (spread the bits), "multiply" is by x. */
		u64 plo = 1, phi = 0;
		for (int b = 63; b >= 0; b--) {
			gf_square(&plo, &phi);
			if ((j >> b) & 1)
				xts_mul_x_words(&plo, &phi);
		}
		gf_mul(&lo, &hi, plo, phi);
	}
	store_le64(t, lo);
	store_le64(t + 8, hi);
}
