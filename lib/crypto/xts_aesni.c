/* XTS with AES-NI: eight independent blocks in flight per round so the
 * AESENC latency (3-4 cycles) is hidden behind its throughput (1-2 per
 * cycle). Why the loop looks the way it does:
 *  - the eight tweaks of a batch are independent of each other: the next
 *    batch's tweak of lane b is this batch's times x^8 (a byte shift plus
 *    one carry-less multiply of the byte that leaves x^127 by 0x87), so no
 *    serial multiply-by-x chain sits in front of the rounds;
 *  - the input whitening uses k0 ^ T (one XOR per block) and the output
 *    whitening is folded into AESENCLAST/AESDECLAST's round key
 *    (k_last ^ T), so a block costs its rounds plus a handful of XORs;
 *  - the round count is a compile-time constant (two instances), so the
 *    rounds unroll and each round key is loaded once per batch. */
#include "lib/crypto/xts_backend.h"
#include "lib/crypto/aes_ni.h"
#include "lib/crypto/cpu_features.h"
#include "lib/mem.h"

static bool aesni_supported(void)
{
	return (cpu_features_detect() & CPUF_AESNI) != 0;
}

static void aesni_setup(struct xts_state *st, int rounds, int dirs)
{
	if (dirs & XTS_DECRYPT)
		aesni_make_dec_keys(st->dk1, st->rk1, rounds);
}

static void aesni_tweak(const struct xts_state *st, int rounds, const u8 in[16], u8 out[16])
{
	aesni_encrypt_block(st->rk2, rounds, in, out);
}

#define LANES 8

/* t * x^8 in GF(2^128) (IEEE 1619 5.2 applied eight times): shift the
 * 128-bit value up one byte; the byte that leaves x^127 comes back times
 * x^7 + x^2 + x + 1. Branch-free. */
static inline __attribute__((always_inline)) AESNI_TARGET __m128i mul_x8(__m128i t, __m128i poly)
{
	__m128i top = _mm_srli_si128(t, 15);
	return _mm_xor_si128(_mm_slli_si128(t, 1), _mm_clmulepi64_si128(top, poly, 0x00));
}

static inline __attribute__((always_inline)) AESNI_TARGET __m128i
round1(__m128i x, __m128i k, int encrypt)
{
	return encrypt ? _mm_aesenc_si128(x, k) : _mm_aesdec_si128(x, k);
}

static inline __attribute__((always_inline)) AESNI_TARGET __m128i
round_last(__m128i x, __m128i k, int encrypt)
{
	return encrypt ? _mm_aesenclast_si128(x, k) : _mm_aesdeclast_si128(x, k);
}

static inline __attribute__((always_inline)) AESNI_TARGET void
aesni_blocks_body(const struct xts_state *st, int rounds, int encrypt, u8 tweak[16],
		  const u8 *in, u8 *out, size_t n)
{
	const u8 *sched = encrypt ? st->rk1 : st->dk1;
	const __m128i *ks = (const __m128i *)sched;
	__m128i t = _mm_loadu_si128((const __m128i *)tweak);

	if (n >= LANES) {
		const __m128i poly = _mm_set_epi32(0, 0, 0, 0x87);
		const __m128i k0 = _mm_loadu_si128(ks), kl = _mm_loadu_si128(ks + rounds);
		__m128i tw[LANES];
		_Pragma("GCC unroll 8")
		for (int b = 0; b < LANES; b++) {
			tw[b] = t;
			t = aesni_mul_x(t);
		}
		for (; n >= LANES; n -= LANES, in += 16 * LANES, out += 16 * LANES) {
			__m128i x[LANES];
			_Pragma("GCC unroll 8")
			for (int b = 0; b < LANES; b++)
				x[b] = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(in + 16 * b)),
						     _mm_xor_si128(tw[b], k0));
			_Pragma("GCC unroll 13")
			for (int r = 1; r < rounds; r++) {
				__m128i k = _mm_loadu_si128(ks + r);
				_Pragma("GCC unroll 8")
				for (int b = 0; b < LANES; b++)
					x[b] = round1(x[b], k, encrypt);
			}
			_Pragma("GCC unroll 8")
			for (int b = 0; b < LANES; b++) {
				x[b] = round_last(x[b], _mm_xor_si128(kl, tw[b]), encrypt);
				_mm_storeu_si128((__m128i *)(out + 16 * b), x[b]);
				tw[b] = mul_x8(tw[b], poly);
			}
		}
		t = tw[0];
		_Pragma("GCC unroll 8")
		for (int b = 0; b < LANES; b++)
			tw[b] = _mm_setzero_si128();
		__asm__ __volatile__("" : : "r"(tw) : "memory");
	}
	if (n) {
		__m128i k[15];
		_Pragma("GCC unroll 15")
		for (int r = 0; r < 15; r++)
			k[r] = _mm_loadu_si128(ks + r);
		for (; n; n--, in += 16, out += 16) {
			__m128i x = _mm_xor_si128(_mm_loadu_si128((const __m128i *)in), t);
			x = encrypt ? aesni_enc1(k, rounds, x) : aesni_dec1(k, rounds, x);
			_mm_storeu_si128((__m128i *)out, _mm_xor_si128(x, t));
			t = aesni_mul_x(t);
		}
		_Pragma("GCC unroll 15")
		for (int r = 0; r < 15; r++)
			k[r] = _mm_setzero_si128();
		__asm__ __volatile__("" : : "r"(k) : "memory");
	}
	_mm_storeu_si128((__m128i *)tweak, t);
}

/* The round count and direction as compile-time constants: four
 * straight-line instances of the loop. */
static AESNI_TARGET void aesni_blocks(const struct xts_state *st, int rounds, int encrypt, u8 tweak[16],
                                      const u8 *in, u8 *out, size_t n)
{
	if (rounds == 14) {
		if (encrypt)
			aesni_blocks_body(st, 14, 1, tweak, in, out, n);
		else
			aesni_blocks_body(st, 14, 0, tweak, in, out, n);
	} else {
		if (encrypt)
			aesni_blocks_body(st, 10, 1, tweak, in, out, n);
		else
			aesni_blocks_body(st, 10, 0, tweak, in, out, n);
	}
}

const struct xts_backend_ops xts_aesni_ops = {
	.name = "aesni",
	.needs = CPUF_AESNI,
	.supported = aesni_supported,
	.setup = aesni_setup,
	.tweak = aesni_tweak,
	.blocks = aesni_blocks,
};
