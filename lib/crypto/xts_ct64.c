/* XTS over the bitsliced constant-time AES core: four blocks per call of
 * the cipher, tweaks XORed in and out around it (IEEE 1619 5.3.1, 5.4.1).
 * The key material is the same bitsliced schedule for both directions. */
#include "lib/crypto/xts_backend.h"
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
	u8 buf[64] = { 0 };
	u64 q[8];
	mc_memcpy(buf, in, 16);
	aes_ct64_pack(q, buf);
	aes_ct64_encrypt(&st->ct2, rounds, q);
	aes_ct64_unpack(buf, q);
	mc_memcpy(out, buf, 16);
	mc_wipe(buf, sizeof(buf));
	mc_wipe(q, sizeof(q));
}

static void xor_bytes(u8 *dst, const u8 *a, const u8 *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = a[i] ^ b[i];
}

static void ct64_blocks(const struct xts_state *st, int rounds, int encrypt, u8 t[16],
			const u8 *in, u8 *out, size_t n)
{
	u8 tw[64], buf[64];
	u64 q[8];

	while (n) {
		size_t k = n < 4 ? n : 4;
		mc_memset(buf, 0, sizeof(buf));
		for (size_t b = 0; b < k; b++) {
			mc_memcpy(tw + 16 * b, t, 16);
			xts_gf_double(t);
			xor_bytes(buf + 16 * b, in + 16 * b, tw + 16 * b, 16);
		}
		aes_ct64_pack(q, buf);
		if (encrypt)
			aes_ct64_encrypt(&st->ct1, rounds, q);
		else
			aes_ct64_decrypt(&st->ct1, rounds, q);
		aes_ct64_unpack(buf, q);
		xor_bytes(out, buf, tw, 16 * k);
		in += 16 * k;
		out += 16 * k;
		n -= k;
	}
	mc_wipe(tw, sizeof(tw));
	mc_wipe(buf, sizeof(buf));
	mc_wipe(q, sizeof(q));
}

const struct xts_backend_ops xts_ct64_ops = {
	.name = "ct64",
	.supported = ct64_supported,
	.setup = ct64_setup,
	.tweak = ct64_tweak,
	.blocks = ct64_blocks,
};
