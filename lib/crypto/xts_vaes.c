/* XTS with VAES + AVX-512: four blocks per zmm register, four registers
 * (16 blocks) in flight per round. Tweaks advance per 128-bit lane by
 * multiplying with x^4 (a shift plus a carry-less multiply of the spilled
 * bits by 0x87, VPCLMULQDQ), so the tweak chain stays branch-free.
 * Tails of 1-3 blocks and single blocks use the AES-NI helpers. */
#include "lib/crypto/xts_backend.h"
#include "lib/crypto/aes_ni.h"
#include "lib/crypto/cpu_features.h"
#include "lib/mem.h"

#define VAES_TARGET __attribute__((target("aes,pclmul,sse4.1,avx2,avx512f,avx512vl,avx512bw,vaes,vpclmulqdq")))

static bool vaes_supported(void)
{
	return (cpu_features_detect() & CPUF_VAES512) == CPUF_VAES512;
}

static void vaes_setup(struct xts_state *st, int rounds, int dirs)
{
	if (dirs & XTS_DECRYPT)
		aesni_make_dec_keys(st->dk1, st->rk1, rounds);
}

static void vaes_tweak(const struct xts_state *st, int rounds, const u8 in[16], u8 out[16])
{
	aesni_encrypt_block(st->rk2, rounds, in, out);
}

/* Each 128-bit lane times x^4: shift the lane left by 4 bits; the 4 bits
 * that leave x^127 come back multiplied by x^7 + x^2 + x + 1 (0x87). */
static inline VAES_TARGET __m512i mul_x4(__m512i t, __m512i poly)
{
	__m512i top4 = _mm512_srli_epi64(t, 60);                  /* per qword */
	__m512i carry_in = _mm512_bslli_epi128(top4, 8);          /* qword 0 -> 1 */
	__m512i spill = _mm512_bsrli_epi128(top4, 8);             /* qword 1 -> 0 */
	__m512i red = _mm512_clmulepi64_epi128(spill, poly, 0x00);
	return _mm512_xor_si512(_mm512_xor_si512(_mm512_slli_epi64(t, 4), carry_in), red);
}

#define REGS 4

static inline __attribute__((always_inline)) VAES_TARGET void vaes_blocks_body(const struct xts_state *st, int rounds, int encrypt,
				    u8 tweak[16], const u8 *in, u8 *out, size_t n)
{
	const u8 *sched = encrypt ? st->rk1 : st->dk1;
	__m128i t = _mm_loadu_si128((const __m128i *)tweak);

	if (n >= 4) {
		const __m512i poly = _mm512_set_epi64(0, 0x87, 0, 0x87, 0, 0x87, 0, 0x87);
		__m512i k[15];
		_Pragma("GCC unroll 15")
		for (int r = 0; r < 15; r++)
			k[r] = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(sched + 16 * r)));
		/* lanes hold T_j, T_j+1, T_j+2, T_j+3 */
		__m128i t1 = aesni_mul_x(t), t2 = aesni_mul_x(t1), t3 = aesni_mul_x(t2);
		__m512i tz = _mm512_castsi128_si512(t);
		tz = _mm512_inserti32x4(tz, t1, 1);
		tz = _mm512_inserti32x4(tz, t2, 2);
		tz = _mm512_inserti32x4(tz, t3, 3);

		for (; n >= 4 * REGS; n -= 4 * REGS, in += 64 * REGS, out += 64 * REGS) {
			__m512i tw[REGS], x[REGS];
			_Pragma("GCC unroll 4")
			for (int g = 0; g < REGS; g++) {
				tw[g] = tz;
				tz = mul_x4(tz, poly);
				x[g] = _mm512_ternarylogic_epi64(_mm512_loadu_si512(in + 64 * g), tw[g], k[0], 0x96);
			}
			if (encrypt) {
				_Pragma("GCC unroll 13")
				for (int r = 1; r < rounds; r++)
					_Pragma("GCC unroll 4")
					for (int g = 0; g < REGS; g++)
						x[g] = _mm512_aesenc_epi128(x[g], k[r]);
				_Pragma("GCC unroll 4")
				for (int g = 0; g < REGS; g++)
					x[g] = _mm512_aesenclast_epi128(x[g], _mm512_xor_si512(k[rounds], tw[g]));
			} else {
				_Pragma("GCC unroll 13")
				for (int r = 1; r < rounds; r++)
					_Pragma("GCC unroll 4")
					for (int g = 0; g < REGS; g++)
						x[g] = _mm512_aesdec_epi128(x[g], k[r]);
				_Pragma("GCC unroll 4")
				for (int g = 0; g < REGS; g++)
					x[g] = _mm512_aesdeclast_epi128(x[g], _mm512_xor_si512(k[rounds], tw[g]));
			}
			_Pragma("GCC unroll 4")
			for (int g = 0; g < REGS; g++)
				_mm512_storeu_si512(out + 64 * g, x[g]);
		}
		for (; n >= 4; n -= 4, in += 64, out += 64) {
			__m512i tw = tz;
			tz = mul_x4(tz, poly);
			__m512i x = _mm512_ternarylogic_epi64(_mm512_loadu_si512(in), tw, k[0], 0x96);
			if (encrypt) {
				_Pragma("GCC unroll 13")
				for (int r = 1; r < rounds; r++)
					x = _mm512_aesenc_epi128(x, k[r]);
				x = _mm512_aesenclast_epi128(x, _mm512_xor_si512(k[rounds], tw));
			} else {
				_Pragma("GCC unroll 13")
				for (int r = 1; r < rounds; r++)
					x = _mm512_aesdec_epi128(x, k[r]);
				x = _mm512_aesdeclast_epi128(x, _mm512_xor_si512(k[rounds], tw));
			}
			_mm512_storeu_si512(out, x);
		}
		t = _mm512_castsi512_si128(tz);
		_Pragma("GCC unroll 15")
		for (int r = 0; r < 15; r++)
			k[r] = _mm512_setzero_si512();
		__asm__ __volatile__("" : : "r"(k) : "memory");
	}
	if (n) {
		__m128i k1[15];
		_Pragma("GCC unroll 15")
		for (int r = 0; r < 15; r++)
			k1[r] = _mm_loadu_si128((const __m128i *)(sched + 16 * r));
		for (; n; n--, in += 16, out += 16) {
			__m128i x = _mm_xor_si128(_mm_loadu_si128((const __m128i *)in), t);
			x = encrypt ? aesni_enc1(k1, rounds, x) : aesni_dec1(k1, rounds, x);
			_mm_storeu_si128((__m128i *)out, _mm_xor_si128(x, t));
			t = aesni_mul_x(t);
		}
		_Pragma("GCC unroll 15")
		for (int r = 0; r < 15; r++)
			k1[r] = _mm_setzero_si128();
		__asm__ __volatile__("" : : "r"(k1) : "memory");
	}
	_mm_storeu_si128((__m128i *)tweak, t);
}

/* The round count as a compile-time constant lets the compiler unroll the
 * rounds and keep the round keys in registers. */
static VAES_TARGET void vaes_blocks(const struct xts_state *st, int rounds, int encrypt, u8 tweak[16],
                                    const u8 *in, u8 *out, size_t n)
{
	if (rounds == 14)
		vaes_blocks_body(st, 14, encrypt, tweak, in, out, n);
	else
		vaes_blocks_body(st, 10, encrypt, tweak, in, out, n);
}

const struct xts_backend_ops xts_vaes_ops = {
	.name = "vaes",
	.needs = CPUF_VAES512,
	.supported = vaes_supported,
	.setup = vaes_setup,
	.tweak = vaes_tweak,
	.blocks = vaes_blocks,
};
