/* XTS with AES-NI: eight independent blocks in flight per round so the
 * AESENC latency (4 cycles on Zen 3) is covered by its throughput (two per
 * cycle): 8 blocks x 1/2 cycle = 4 cycles per round. Why the loop looks the
 * way it does (measurements in docs/crypto.md):
 *  - the AES units (two on Zen 3, FP pipes 0 and 1) are the bottleneck, so
 *    every other vector op per block counts. The tweaks are made with
 *    Gueron's sequence (paddq, sign mask, pand, pxor; as OpenSSL): no
 *    PCLMULQDQ, which issues on an AES pipe and cost one AES slot per
 *    block in the previous x^8-per-lane version;
 *  - the sign masks of the tweak chain come from their own register (s,
 *    doubled per step), so a step of the chain is paddq + pxor, 2 cycles;
 *  - the next batch's eight tweaks are made while this batch is in its
 *    rounds (on AMD two chain steps between rounds, from the middle of the
 *    batch: issued all at the top, they cost ~12% at AES-128 on Zen 3), and
 *    kept as T ^ k0 and T ^ k_last in stack arrays (written a
 *    batch ahead, 16-byte stores and loads: no store-forwarding stall):
 *    the input whitening is one XOR with a memory operand and the output
 *    whitening is folded into AESENCLAST/AESDECLAST's round key;
 *  - 8 data registers + round key + k0, k_last, chain state leave no room
 *    for 8 live tweaks in the 16 xmm registers: hence the arrays;
 *  - the round count is a compile-time constant (two instances), so the
 *    rounds unroll and each round key is loaded once per batch;
 *  - on Intel (setup, CPUF_INTEL) the next batch's tweaks are instead this
 *    batch's times x^8, per lane: a byte shift pair and one PCLMULQDQ. From
 *    Ice Lake on the AES units are ports 0 and 1, which are also two of the
 *    three vector ALU ports, while PCLMULQDQ and byte shifts go to port 5:
 *    the Gueron chain's five ALU ops per block took AES slots there (~0.94x
 *    OpenSSL), the x^8 step leaves ports 0/1 to AES (~1.05x). On Zen it is
 *    the other way round (PCLMULQDQ on an AES pipe): AMD keeps the chain. */
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
	st->aesni_x8 = (cpu_features_detect() & CPUF_INTEL) != 0;
	if (dirs & XTS_DECRYPT)
		aesni_make_dec_keys(st->dk1, st->rk1, rounds);
}

static void aesni_tweak(const struct xts_state *st, int rounds, const u8 in[16], u8 out[16])
{
	aesni_encrypt_block(st->rk2, rounds, in, out);
}

#define LANES 8

/* The AMD chain's next-batch tweaks, two per round, from this round on:
 * rounds 3-6 of AES-128's ten, 4-7 of AES-256's fourteen (the best placing
 * measured on Zen 3, docs/crypto.md; all at the top of the batch, the old
 * placing, was 12% slower at AES-128). */
#define CHAIN_FROM(rounds) (((rounds) + 2) / 4)

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

/* T * x with the sign masks taken from a separate register: s holds the
 * dwords (t3, t3, t1, t1) of the tweak, doubled once per step, so the
 * carries of x^127 and x^63 are the signs of s and do not wait for the
 * previous step (IEEE 1619 5.2; Gueron's sequence, as in OpenSSL). The
 * sign mask is PCMPGTD against zero rather than OpenSSL's PSRAD 31: the
 * same mask, measured 0.6% faster at AES-128 and 3% at AES-256 on Zen 3
 * (docs/crypto.md). */
static inline __attribute__((always_inline)) AESNI_TARGET __m128i
next_tweak(__m128i t, __m128i *s, __m128i magic)
{
	__m128i m = _mm_and_si128(_mm_cmpgt_epi32(_mm_setzero_si128(), *s), magic);
	*s = _mm_add_epi32(*s, *s);
	return _mm_xor_si128(_mm_add_epi64(t, t), m);
}

/* T * x^8: a one-byte shift of the 128-bit value, the byte shifted out
 * folded back with one carry-less multiply by 0x87. */
static inline __attribute__((always_inline)) AESNI_TARGET __m128i
mul_x8(__m128i t, __m128i poly)
{
	__m128i hi = _mm_srli_si128(t, 15);
	return _mm_xor_si128(_mm_slli_si128(t, 1), _mm_clmulepi64_si128(hi, poly, 0x00));
}

/* n blocks from tweak t; returns the tweak of the block after the last. */
static inline __attribute__((always_inline)) AESNI_TARGET __m128i
aesni_blocks_body(const struct xts_state *st, int rounds, int encrypt, int x8, __m128i t,
		  const u8 *in, u8 *out, size_t n)
{
	const u8 *sched = encrypt ? st->rk1 : st->dk1;
	const __m128i *ks = (const __m128i *)sched;

	if (n >= LANES) {
		const __m128i magic = _mm_set_epi32(0, 1, 0, 0x87);
		const __m128i k0 = _mm_loadu_si128(ks), kl = _mm_loadu_si128(ks + rounds);
		/* wa: the next batch's T ^ k0; wb[2]: T ^ k_last of this batch
		 * and the next (double buffer) */
		__m128i wa[LANES], wb[2 * LANES];
		__m128i *cur = wb, *nxt = wb + LANES;
		__m128i s = _mm_shuffle_epi32(t, 0x5f);
		/* x8: this batch's plain tweaks, each times x^8 for the next */
		const __m128i poly = _mm_set_epi32(0, 0, 0, 0x87);
		__m128i tl[LANES];
		_Pragma("GCC unroll 8")
		for (int b = 0; b < LANES; b++) {
			tl[b] = t;
			wa[b] = _mm_xor_si128(t, k0);
			cur[b] = _mm_xor_si128(t, kl);
			t = next_tweak(t, &s, magic);
		}
		for (; n >= LANES; n -= LANES, in += 16 * LANES, out += 16 * LANES) {
			__m128i x[LANES];
			_Pragma("GCC unroll 8")
			for (int b = 0; b < LANES; b++)
				x[b] = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(in + 16 * b)), wa[b]);
			/* AMD: wa and wb live in memory (GCC otherwise keeps
			 * some of them in registers it then lacks for the
			 * chain: 12% slower at AES-128 on Zen 3); the Intel
			 * batch loop is left as it was measured */
			if (!x8)
				__asm__ __volatile__("" : : "r"(wa), "r"(wb) : "memory");
			/* the next batch's tweaks: off the critical path, they run
			 * while the AES units work on this batch; none after the
			 * last batch (n is public: not a secret-dependent branch) */
			if (n >= 2 * LANES && x8) {
				_Pragma("GCC unroll 8")
				for (int b = 0; b < LANES; b++) {
					tl[b] = mul_x8(tl[b], poly);
					wa[b] = _mm_xor_si128(tl[b], k0);
					nxt[b] = _mm_xor_si128(tl[b], kl);
				}
			}
			_Pragma("GCC unroll 13")
			for (int r = 1; r < rounds; r++) {
				__m128i k = _mm_loadu_si128(ks + r);
				_Pragma("GCC unroll 8")
				for (int b = 0; b < LANES; b++)
					x[b] = round1(x[b], k, encrypt);
				/* AMD: two steps of the chain between these rounds
				 * (wa[b] was read into x[b] above, so it is free) */
				const int pair = r - CHAIN_FROM(rounds);
				if (!x8 && n >= 2 * LANES && pair >= 0 && pair < LANES / 2) {
					_Pragma("GCC unroll 2")
					for (int j = 0; j < 2; j++) {
						const int b = 2 * pair + j;
						if (b == 0)
							s = _mm_shuffle_epi32(t, 0x5f);
						wa[b] = _mm_xor_si128(t, k0);
						nxt[b] = _mm_xor_si128(t, kl);
						t = next_tweak(t, &s, magic);
					}
					/* pins the steps here: GCC hoists them to
					 * the top of the batch otherwise */
					__asm__ __volatile__("" : "+x"(t), "+x"(s));
				}
			}
			_Pragma("GCC unroll 8")
			for (int b = 0; b < LANES; b++)
				_mm_storeu_si128((__m128i *)(out + 16 * b), round_last(x[b], cur[b], encrypt));
			__m128i *sw = cur;
			cur = nxt;
			nxt = sw;
		}
		if (x8)
			t = mul_x8(tl[0], poly);
		_Pragma("GCC unroll 8")
		for (int b = 0; b < LANES; b++)
			tl[b] = _mm_setzero_si128();
		__asm__ __volatile__("" : : "r"(tl) : "memory");
		/* t is now the tweak of the block after the last batch */
		_Pragma("GCC unroll 8")
		for (int b = 0; b < LANES; b++)
			wa[b] = _mm_setzero_si128();
		_Pragma("GCC unroll 16")
		for (int b = 0; b < 2 * LANES; b++)
			wb[b] = _mm_setzero_si128();
		__asm__ __volatile__("" : : "r"(wa), "r"(wb) : "memory");
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
	return t;
}

/* The round count, direction and tweak step as compile-time constants:
 * eight straight-line instances of the loop. */
#define AESNI_DISPATCH(st, rounds, encrypt, call)                                      \
	do {                                                                           \
		if ((st)->aesni_x8) {                                                  \
			if ((rounds) == 14) {                                          \
				if (encrypt) call(14, 1, 1); else call(14, 0, 1);      \
			} else {                                                       \
				if (encrypt) call(10, 1, 1); else call(10, 0, 1);      \
			}                                                              \
		} else if ((rounds) == 14) {                                           \
			if (encrypt) call(14, 1, 0); else call(14, 0, 0);              \
		} else {                                                               \
			if (encrypt) call(10, 1, 0); else call(10, 0, 0);              \
		}                                                                      \
	} while (0)

static AESNI_TARGET void aesni_blocks(const struct xts_state *st, int rounds, int encrypt, u8 tweak[16],
                                      const u8 *in, u8 *out, size_t n)
{
	__m128i t = _mm_loadu_si128((const __m128i *)tweak);
#define BLOCKS(R, E, X) t = aesni_blocks_body(st, R, E, X, t, in, out, n)
	AESNI_DISPATCH(st, rounds, encrypt, BLOCKS);
#undef BLOCKS
	_mm_storeu_si128((__m128i *)tweak, t);
}

/* A whole unit without stealing in one call: the encrypted tweak stays in
 * a register and feeds the first batch's tweak chain directly (no store,
 * reload and byte-wise wipe of it in xts.c, one indirect call less): the
 * fixed part of a 512-byte unit. */
static AESNI_TARGET void aesni_unit(const struct xts_state *st, int rounds, int encrypt,
                                    const u8 tweak[16], const u8 *in, u8 *out, size_t n)
{
	__m128i t;
#define UNIT(R, E, X) (t = aesni_enc1_sched(st->rk2, R, _mm_loadu_si128((const __m128i *)tweak)), (void)aesni_blocks_body(st, R, E, X, t, in, out, n))
	AESNI_DISPATCH(st, rounds, encrypt, UNIT);
#undef UNIT
	t = _mm_setzero_si128();
	__asm__ __volatile__("" : : "x"(t));
}

const struct xts_backend_ops xts_aesni_ops = {
	.name = "aesni",
	.needs = CPUF_AESNI,
	.supported = aesni_supported,
	.setup = aesni_setup,
	.tweak = aesni_tweak,
	.blocks = aesni_blocks,
	.unit = aesni_unit,
};
