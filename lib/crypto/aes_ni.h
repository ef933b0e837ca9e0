/* AES-NI building blocks shared by the AES-NI and VAES XTS backends.
 * Everything here is compiled for the "aes,sse4.1" target only (per
 * function, the freestanding builds use -mgeneral-regs-only) and is reached
 * only after cpu_features_detect() said the CPU and OS allow it. Vector
 * types stay inside these inline helpers and the backends' own functions. */
#ifndef MC_AES_NI_H
#define MC_AES_NI_H
#include "lib/types.h"
/* The x86 intrinsic headers would pull <stdlib.h> in through mm_malloc.h;
 * the freestanding builds must not see libc, and nothing here allocates. */
#define _MM_MALLOC_H_INCLUDED
#include <immintrin.h>

#define AESNI_TARGET __attribute__((target("aes,pclmul,sse4.1")))

/* K1 decryption schedule for AESDEC (Intel AES-NI white paper, "The
 * Equivalent Inverse Cipher": InvMixColumns of the middle round keys, in
 * reverse order); and out = AES-Enc(K2, in). aes_ni.c. */
void aesni_make_dec_keys(u8 dk[16 * 15], const u8 rk[16 * 15], int rounds);
void aesni_encrypt_block(const u8 *rk, int rounds, const u8 in[16], u8 out[16]);

/* Multiply a tweak by x in GF(2^128) (IEEE 1619 5.2), branch-free: each
 * 64-bit half shifts left, the carry out of the low half enters the high
 * half, the carry out of x^127 folds back as 0x87. */
static inline AESNI_TARGET __m128i aesni_mul_x(__m128i t)
{
	const __m128i poly = _mm_set_epi32(0, 1, 0, 0x87);
	__m128i sign = _mm_srai_epi32(t, 31);
	sign = _mm_shuffle_epi32(sign, 0x13);   /* dword 3 -> 0, dword 1 -> 2 */
	return _mm_xor_si128(_mm_add_epi64(t, t), _mm_and_si128(sign, poly));
}

static inline AESNI_TARGET __m128i aesni_enc1(const __m128i *k, int rounds, __m128i x)
{
	x = _mm_xor_si128(x, k[0]);
	for (int r = 1; r < rounds; r++)
		x = _mm_aesenc_si128(x, k[r]);
	return _mm_aesenclast_si128(x, k[rounds]);
}

/* AES-Enc(rk, x) with the round keys read straight from the schedule as
 * unaligned loads (memory operands): no copy of the key on the stack that
 * would have to be wiped. */
static inline __attribute__((always_inline)) AESNI_TARGET __m128i
aesni_enc1_sched(const u8 *rk, int rounds, __m128i x)
{
	const __m128i *k = (const __m128i *)rk;
	x = _mm_xor_si128(x, _mm_loadu_si128(k));
	_Pragma("GCC unroll 13")
	for (int r = 1; r < rounds; r++)
		x = _mm_aesenc_si128(x, _mm_loadu_si128(k + r));
	return _mm_aesenclast_si128(x, _mm_loadu_si128(k + rounds));
}

static inline AESNI_TARGET __m128i aesni_dec1(const __m128i *k, int rounds, __m128i x)
{
	x = _mm_xor_si128(x, k[0]);
	for (int r = 1; r < rounds; r++)
		x = _mm_aesdec_si128(x, k[r]);
	return _mm_aesdeclast_si128(x, k[rounds]);
}

#endif
