/* XTS with VAES on 256-bit registers (AVX2, no AVX-512): two blocks per
 * instruction, for Zen 3/4 and Intel client cores since Alder Lake, which
 * have VAES + VPCLMULQDQ but no (or no usable) AVX-512. Why the loop looks
 * the way it does:
 *  - eight ymm registers (16 blocks) are in flight per round: VAESENC has a
 *    latency of 4 cycles and two issue per cycle on Zen 3, so fewer than
 *    eight independent vectors leave the AES units idle;
 *  - that leaves 8 of the 16 ymm registers for round keys, tweaks and
 *    temporaries, so the round keys are broadcast from memory per round (a
 *    load uop, not a register) and the tweaks live in a stack array that is
 *    read only at the first and last round;
 *  - each vector's two tweaks advance by x^16 per batch on their own (a
 *    2-byte lane shift plus one VPCLMULQDQ of the 16 bits that leave x^127
 *    by 0x87), so no serial multiply-by-x chain precedes the rounds;
 *  - the output whitening is folded into VAESENCLAST's round key
 *    (k_last ^ T), the input whitening into one XOR with k0 ^ T;
 *  - round count and direction are compile-time constants (four instances).
 * Tails: pairs of blocks one vector at a time, a last odd block with AES-NI.
 * unit() takes a whole unit without stealing in one call (xts.c). */
#include "lib/crypto/xts_backend.h"
#include "lib/crypto/aes_ni.h"
#include "lib/crypto/cpu_features.h"
#include "lib/mem.h"

#define VAES256_TARGET __attribute__((target("aes,pclmul,sse4.1,avx,avx2,vaes,vpclmulqdq")))
#define INLINE static inline __attribute__((always_inline))
#define VECS 8   /* ymm registers of data in flight: 16 blocks */

static bool vaes256_supported(void)
{
	return (cpu_features_detect() & CPUF_VAES256) == CPUF_VAES256;
}

static void vaes256_setup(struct xts_state *st, int rounds, int dirs)
{
	if (dirs & XTS_DECRYPT)
		aesni_make_dec_keys(st->dk1, st->rk1, rounds);
}

static void vaes256_tweak(const struct xts_state *st, int rounds, const u8 in[16], u8 out[16])
{
	aesni_encrypt_block(st->rk2, rounds, in, out);
}

/* Each 128-bit lane times x^k, 1 <= k <= 63: shift both qwords by k, carry
 * the top k bits of the low qword into the high one, and fold the top k
 * bits of the high qword back as their product with x^7 + x^2 + x + 1. */
INLINE VAES256_TARGET __m256i mul_xk(__m256i t, int k, __m256i poly)
{
	__m256i top = _mm256_srli_epi64(t, 64 - k);
	__m256i carry = _mm256_bslli_epi128(top, 8);   /* qword 0 -> 1 */
	__m256i spill = _mm256_bsrli_epi128(top, 8);   /* qword 1 -> 0 */
	__m256i red = _mm256_clmulepi64_epi128(spill, poly, 0x00);
	return _mm256_xor_si256(_mm256_xor_si256(_mm256_slli_epi64(t, k), carry), red);
}

/* Each lane times x^16: a 2-byte lane shift, the 16 bits that leave x^127
 * come back times 0x87 (at most 23 bits: no second reduction). */
INLINE VAES256_TARGET __m256i mul_x16(__m256i t, __m256i poly)
{
	__m256i top = _mm256_bsrli_epi128(t, 14);
	return _mm256_xor_si256(_mm256_bslli_epi128(t, 2), _mm256_clmulepi64_epi128(top, poly, 0x00));
}

INLINE VAES256_TARGET __m256i bkey(const u8 *sched, int r)
{
	return _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(sched + 16 * r)));
}

INLINE VAES256_TARGET __m256i rnd(__m256i x, __m256i k, int encrypt)
{
	return encrypt ? _mm256_aesenc_epi128(x, k) : _mm256_aesdec_epi128(x, k);
}

INLINE VAES256_TARGET __m256i rnd_last(__m256i x, __m256i k, int encrypt)
{
	return encrypt ? _mm256_aesenclast_epi128(x, k) : _mm256_aesdeclast_epi128(x, k);
}

/* One vector (two blocks) through all rounds, whitening included. */
INLINE VAES256_TARGET __m256i crypt2(const u8 *sched, int rounds, int encrypt, __m256i x, __m256i tw)
{
	x = _mm256_xor_si256(x, _mm256_xor_si256(tw, bkey(sched, 0)));
	_Pragma("GCC unroll 13")
	for (int r = 1; r < rounds; r++)
		x = rnd(x, bkey(sched, r), encrypt);
	return rnd_last(x, _mm256_xor_si256(bkey(sched, rounds), tw), encrypt);
}

/* n blocks from tweak t; returns the tweak of the block after the last. */
INLINE VAES256_TARGET __m128i body(const struct xts_state *st, int rounds, int encrypt, __m128i t,
				   const u8 *in, u8 *out, size_t n)
{
	const u8 *sched = encrypt ? st->rk1 : st->dk1;

	if (n >= 2) {
		const __m256i poly = _mm256_set_epi64x(0, 0x87, 0, 0x87);
		__m256i tw[VECS];
		/* vector g holds T_2g, T_2g+1: x^2, x^4, x^8 steps, depth three */
		tw[0] = _mm256_inserti128_si256(_mm256_castsi128_si256(t), aesni_mul_x(t), 1);
		tw[1] = mul_xk(tw[0], 2, poly);
		tw[2] = mul_xk(tw[0], 4, poly);
		tw[3] = mul_xk(tw[1], 4, poly);
		_Pragma("GCC unroll 4")
		for (int g = 0; g < 4; g++)
			tw[4 + g] = mul_xk(tw[g], 8, poly);

		for (; n >= 2 * VECS; n -= 2 * VECS, in += 32 * VECS, out += 32 * VECS) {
			__m256i x[VECS];
			const __m256i k0 = bkey(sched, 0);
			_Pragma("GCC unroll 8")
			for (int g = 0; g < VECS; g++)
				x[g] = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(in + 32 * g)),
							_mm256_xor_si256(tw[g], k0));
			_Pragma("GCC unroll 13")
			for (int r = 1; r < rounds; r++) {
				const __m256i k = bkey(sched, r);
				_Pragma("GCC unroll 8")
				for (int g = 0; g < VECS; g++)
					x[g] = rnd(x[g], k, encrypt);
			}
			const __m256i kl = bkey(sched, rounds);
			_Pragma("GCC unroll 8")
			for (int g = 0; g < VECS; g++) {
				x[g] = rnd_last(x[g], _mm256_xor_si256(kl, tw[g]), encrypt);
				_mm256_storeu_si256((__m256i *)(out + 32 * g), x[g]);
				tw[g] = mul_x16(tw[g], poly);
			}
		}
		/* fewer than 16 blocks left: tw[g] still holds the next pairs */
		int g = 0;
		for (; n >= 2; n -= 2, in += 32, out += 32, g++) {
			__m256i x = _mm256_loadu_si256((const __m256i *)in);
			_mm256_storeu_si256((__m256i *)out, crypt2(sched, rounds, encrypt, x, tw[g]));
		}
		t = _mm256_castsi256_si128(tw[g]);
		_Pragma("GCC unroll 8")
		for (int i = 0; i < VECS; i++)
			tw[i] = _mm256_setzero_si256();
		__asm__ __volatile__("" : : "r"(tw) : "memory");   /* keep the wipe */
	}
	if (n) {
		__m128i k[15];
		_Pragma("GCC unroll 15")
		for (int r = 0; r < 15; r++)
			k[r] = _mm_loadu_si128((const __m128i *)(sched + 16 * r));
		__m128i x = _mm_xor_si128(_mm_loadu_si128((const __m128i *)in), t);
		x = encrypt ? aesni_enc1(k, rounds, x) : aesni_dec1(k, rounds, x);
		_mm_storeu_si128((__m128i *)out, _mm_xor_si128(x, t));
		t = aesni_mul_x(t);
		_Pragma("GCC unroll 15")
		for (int r = 0; r < 15; r++)
			k[r] = _mm_setzero_si128();
		__asm__ __volatile__("" : : "r"(k) : "memory");
	}
	return t;
}

/* The round count and direction as compile-time constants: four instances. */
#define VAES256_DISPATCH(rounds, encrypt, call)                            \
	do {                                                               \
		if ((rounds) == 14) {                                      \
			if (encrypt) call(14, 1); else call(14, 0);        \
		} else {                                                   \
			if (encrypt) call(10, 1); else call(10, 0);        \
		}                                                          \
	} while (0)

static VAES256_TARGET void vaes256_blocks(const struct xts_state *st, int rounds, int encrypt,
					  u8 tweak[16], const u8 *in, u8 *out, size_t n)
{
	__m128i t = _mm_loadu_si128((const __m128i *)tweak);
#define BLOCKS(R, E) t = body(st, R, E, t, in, out, n)
	VAES256_DISPATCH(rounds, encrypt, BLOCKS);
#undef BLOCKS
	_mm_storeu_si128((__m128i *)tweak, t);
}

/* A whole unit without stealing in one call, as aesni's: the encrypted
 * tweak stays in a register and seeds the tweak vectors directly (no store,
 * reload and wipe of it in xts.c, one indirect call less): at 512 B that
 * fixed part was 7% of the unit on Zen 3 (docs/crypto.md). */
static VAES256_TARGET void vaes256_unit(const struct xts_state *st, int rounds, int encrypt,
					const u8 tweak[16], const u8 *in, u8 *out, size_t n)
{
	__m128i t;
#define UNIT(R, E) (t = aesni_enc1_sched(st->rk2, R, _mm_loadu_si128((const __m128i *)tweak)), \
		    (void)body(st, R, E, t, in, out, n))
	VAES256_DISPATCH(rounds, encrypt, UNIT);
#undef UNIT
	t = _mm_setzero_si128();
	__asm__ __volatile__("" : : "x"(t));
}

const struct xts_backend_ops xts_vaes256_ops = {
	.name = "vaes256",
	.needs = CPUF_VAES256,
	.supported = vaes256_supported,
	.setup = vaes256_setup,
	.tweak = vaes256_tweak,
	.blocks = vaes256_blocks,
	.unit = vaes256_unit,
};
