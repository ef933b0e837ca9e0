/* XTS over the bitsliced constant-time AES core: four blocks per call of
 * the cipher (aes_ct64_encrypt_words: pack, rounds, unpack in one call),
 * tweaks XORed in and out around it (IEEE 1619 5.3.1, 5.4.1).
 * The key material is the same bitsliced schedule for both directions.
 * Everything around the cipher works on 64-bit words (a block is two
 * little-endian words, the tweak too), branch-free, so the XTS part costs
 * a few instructions per block next to the cipher's thousands. */
#include "lib/crypto/xts_backend.h"
#include "lib/crypto/le64.h"
#include "lib/mem.h"

static bool ct64_supported(void)
{
	return true;
}

static void ct64_setup(struct xts_state *st, int rounds, int dirs)
{
	aes_ct64_set_key(&st->ct1, st->rk1, rounds);
	aes_ct64_set_key(&st->ct2, st->rk2, rounds);
}

static void ct64_tweak(const struct xts_state *st, int rounds, const u8 in[16], u8 out[16])
{
	u64 w[8] = { load_le64(in), load_le64(in + 8) };   /* slots 1-3 zero */
	aes_ct64_encrypt_words(&st->ct2, rounds, w);
	store_le64(out, w[0]);
	store_le64(out + 8, w[1]);
	mc_wipe(w, sizeof(w));
}

static void ct64_blocks(const struct xts_state *st, int rounds, int encrypt, u8 t[16],
			const u8 *in, u8 *out, size_t n)
{
	u64 tw[8], w[8];
	u64 tlo = load_le64(t), thi = load_le64(t + 8);

	while (n) {
		size_t k = n < 4 ? n : 4;
		/* Lanes past k carry zero blocks and are never stored. */
		for (size_t b = 0; b < 4; b++) {
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
		if (encrypt)
			aes_ct64_encrypt_words(&st->ct1, rounds, w);
		else
			aes_ct64_decrypt_words(&st->ct1, rounds, w);
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
	tlo = thi = 0;
	mc_wipe(tw, sizeof(tw));
	mc_wipe(w, sizeof(w));
}

const struct xts_backend_ops xts_ct64_ops = {
	.name = "ct64",
	.needs = 0,
	.supported = ct64_supported,
	.setup = ct64_setup,
	.tweak = ct64_tweak,
	.blocks = ct64_blocks,
};
