/* XTS with AES-NI: eight independent blocks in flight per round so the
 * AESENC latency (4+ cycles) is hidden behind throughput (1/cycle). */
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

static inline __attribute__((always_inline)) AESNI_TARGET void aesni_blocks_body(const struct xts_state *st, int rounds, int encrypt,
				      u8 tweak[16], const u8 *in, u8 *out, size_t n)
{
	const u8 *sched = encrypt ? st->rk1 : st->dk1;
	__m128i k[15], t = _mm_loadu_si128((const __m128i *)tweak);
	_Pragma("GCC unroll 15")
	for (int r = 0; r < 15; r++)
		k[r] = _mm_loadu_si128((const __m128i *)(sched + 16 * r));

	for (; n >= LANES; n -= LANES, in += 16 * LANES, out += 16 * LANES) {
		__m128i tw[LANES], x[LANES];
		_Pragma("GCC unroll 8")
		for (int b = 0; b < LANES; b++) {
			tw[b] = t;
			t = aesni_mul_x(t);
			x[b] = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(in + 16 * b)),
					     _mm_xor_si128(tw[b], k[0]));
		}
		if (encrypt) {
			_Pragma("GCC unroll 13")
			for (int r = 1; r < rounds; r++)
				_Pragma("GCC unroll 8")
				for (int b = 0; b < LANES; b++)
					x[b] = _mm_aesenc_si128(x[b], k[r]);
			_Pragma("GCC unroll 8")
			for (int b = 0; b < LANES; b++)
				x[b] = _mm_aesenclast_si128(x[b], _mm_xor_si128(k[rounds], tw[b]));
		} else {
			_Pragma("GCC unroll 13")
			for (int r = 1; r < rounds; r++)
				_Pragma("GCC unroll 8")
				for (int b = 0; b < LANES; b++)
					x[b] = _mm_aesdec_si128(x[b], k[r]);
			_Pragma("GCC unroll 8")
			for (int b = 0; b < LANES; b++)
				x[b] = _mm_aesdeclast_si128(x[b], _mm_xor_si128(k[rounds], tw[b]));
		}
		_Pragma("GCC unroll 8")
		for (int b = 0; b < LANES; b++)
			_mm_storeu_si128((__m128i *)(out + 16 * b), x[b]);
	}
	for (; n; n--, in += 16, out += 16) {
		__m128i x = _mm_xor_si128(_mm_loadu_si128((const __m128i *)in), t);
		x = encrypt ? aesni_enc1(k, rounds, x) : aesni_dec1(k, rounds, x);
		_mm_storeu_si128((__m128i *)out, _mm_xor_si128(x, t));
		t = aesni_mul_x(t);
	}
	_mm_storeu_si128((__m128i *)tweak, t);
	_Pragma("GCC unroll 15")
	for (int r = 0; r < 15; r++)
		k[r] = _mm_setzero_si128();
	__asm__ __volatile__("" : : "r"(k) : "memory");
}

/* The round count as a compile-time constant lets the compiler unroll the
 * rounds and keep the round keys in registers. */
static AESNI_TARGET void aesni_blocks(const struct xts_state *st, int rounds, int encrypt, u8 tweak[16],
                                      const u8 *in, u8 *out, size_t n)
{
	if (rounds == 14)
		aesni_blocks_body(st, 14, encrypt, tweak, in, out, n);
	else
		aesni_blocks_body(st, 10, encrypt, tweak, in, out, n);
}

const struct xts_backend_ops xts_aesni_ops = {
	.name = "aesni",
	.supported = aesni_supported,
	.setup = aesni_setup,
	.tweak = aesni_tweak,
	.blocks = aesni_blocks,
};
