/* XTS over the bitsliced constant-time AES of aes_ct64.c with each bit
 * plane widened to a 256-bit vector of four independent u64 lanes: sixteen
 * blocks per pass of the circuit instead of four. Why: the bitsliced cipher
 * costs the same ~2,900 word operations per pass whatever the word width,
 * and on a CPU with AVX2 a 256-bit XOR/AND issues as fast as a 64-bit one,
 * so the cipher part costs about a quarter per block. The circuit, the
 * round functions, the packing and the key schedule are ct64's
 * (aes_ct_core.h, one source), on four lanes at once. Constant time for
 * the same reasons as ct64: no secret-dependent branch or table index. The
 * tweaks are the same branch-free u64 arithmetic as ct64's. Needs AVX2 and
 * the YMM state on (CPUF_AVX2), no AES instructions. */
#include "lib/crypto/xts_backend.h"
#include "lib/crypto/cpu_features.h"
#include "lib/crypto/le64.h"
#include "lib/mem.h"

/* Every function down to the pop is compiled for AVX2 (GCC's pragma, and
 * clang's equivalent for the fuzz build). */
#if defined(__clang__)
#pragma clang attribute push (__attribute__((target("avx2"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2")
#endif

typedef u64 ct_w4 __attribute__((vector_size(32)));
#define CT_W ct_w4
#define CT_FN(name) ct256_##name
#include "lib/crypto/aes_ct_core.h"

#define GROUP 16   /* blocks per pass: four lanes of four */

static void ct256_blocks(const struct xts_state *st, int rounds, int encrypt, u8 t[16],
			 const u8 *in, u8 *out, size_t n)
{
	u64 tw[2 * GROUP], w[2 * GROUP];
	ct_w4 q[8], wv[8];
	u64 tlo = load_le64(t), thi = load_le64(t + 8);

	while (n) {
		size_t k = n < GROUP ? n : GROUP;
		/* Blocks past k are zero and never stored. */
		for (size_t b = 0; b < GROUP; b++) {
			if (b < k) {
				tw[2 * b] = tlo;
				tw[2 * b + 1] = thi;
				w[2 * b] = load_le64(in + 16 * b) ^ tlo;
				w[2 * b + 1] = load_le64(in + 16 * b + 8) ^ thi;
				xts_mul_x_words(&tlo, &thi);
			} else {
				w[2 * b] = w[2 * b + 1] = 0;
			}
		}
		/* word j of lane l = word j of blocks 4l..4l+3 */
		_Pragma("GCC unroll 8")
		for (int j = 0; j < 8; j++)
			wv[j] = (ct_w4){ w[j], w[8 + j], w[16 + j], w[24 + j] };
		ct256_pack_words(q, wv);
		if (encrypt)
			ct256_encrypt(&st->ct1, rounds, q);
		else
			ct256_decrypt(&st->ct1, rounds, q);
		ct256_unpack_words(wv, q);
		_Pragma("GCC unroll 8")
		for (int j = 0; j < 8; j++)
			_Pragma("GCC unroll 4")
			for (int l = 0; l < 4; l++)
				w[8 * l + j] = wv[j][l];
		for (size_t b = 0; b < k; b++) {
			store_le64(out + 16 * b, w[2 * b] ^ tw[2 * b]);
			store_le64(out + 16 * b + 8, w[2 * b + 1] ^ tw[2 * b + 1]);
		}
		in += 16 * k;
		out += 16 * k;
		n -= k;
	}
	store_le64(t, tlo);
	store_le64(t + 8, thi);
	mc_wipe(tw, sizeof(tw));
	mc_wipe(w, sizeof(w));
	_Pragma("GCC unroll 8")
	for (int i = 0; i < 8; i++)
		q[i] = wv[i] = (ct_w4){ 0, 0, 0, 0 };
	__asm__ __volatile__("" : : "r"(q), "r"(wv) : "memory");   /* keep the wipe */
}

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

static bool ct256_supported(void)
{
	return (cpu_features_detect() & CPUF_AVX2) != 0;
}

/* Same bitsliced key schedule and single-block tweak encryption as ct64. */
static void ct256_setup(struct xts_state *st, int rounds, int dirs)
{
	xts_ct64_ops.setup(st, rounds, dirs);
}

static void ct256_tweak(const struct xts_state *st, int rounds, const u8 in[16], u8 out[16])
{
	xts_ct64_ops.tweak(st, rounds, in, out);
}

const struct xts_backend_ops xts_ct256_ops = {
	.name = "ct256",
	.needs = CPUF_AVX2,
	.supported = ct256_supported,
	.setup = ct256_setup,
	.tweak = ct256_tweak,
	.blocks = ct256_blocks,
};
