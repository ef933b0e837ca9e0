/* What every XTS backend provides, and the context layout they share.
 * Private to lib/crypto: callers use lib/crypto/xts.h. xts.c is the single
 * caller: it checks arguments, resolves the tweak, does ciphertext stealing
 * and hands whole blocks to a backend. */
#ifndef MC_XTS_BACKEND_H
#define MC_XTS_BACKEND_H
#include "lib/crypto/xts.h"
#include "lib/crypto/aes_ct64.h"

/* Lives in xts_ctx.opaque. Byte round keys are kept for every backend so a
 * context can be re-bound to another backend (xts_rebind) without the key. */
struct xts_state {
	u8 rk1[16 * 15];        /* K1 encryption round keys (FIPS-197 5.2) */
	u8 rk2[16 * 15];        /* K2 encryption round keys (tweak key) */
	u8 dk1[16 * 15];        /* K1 for AESDEC: InvMixColumns'd, reversed (aesni/vaes) */
	u8 aesni_x8;            /* aesni: next batch's tweaks by x^8 per lane (setup, Intel) */
	u8 pad[47];
	struct aes_ct64_key ct1, ct2;   /* bitsliced K1, K2 (ct64) */
};

struct xts_backend_ops {
	const char *name;
	u32 needs;              /* CPUF_* set (cpu_features.h), for the reason it is absent */
	bool (*supported)(void);
	/* Derive this backend's key material from st->rk1/rk2. */
	void (*setup)(struct xts_state *st, int rounds, int dirs);
	/* out = AES-Enc(K2, in): the encrypted tweak of block 0. */
	void (*tweak)(const struct xts_state *st, int rounds, const u8 in[16], u8 out[16]);
	/* n whole blocks of XEX (IEEE 1619 5.3.1 / 5.4.1) starting with tweak
	 * t; on return t is the tweak of the block after the last. in may
	 * equal out. */
	void (*blocks)(const struct xts_state *st, int rounds, int encrypt, u8 t[16],
		       const u8 *in, u8 *out, size_t n);
	/* Optional: a whole unit of n >= 1 blocks, no stealing: tweak(),
	 * then blocks() from it, in one call, the encrypted tweak kept in a
	 * register (NULL: xts.c calls tweak() and blocks()). */
	void (*unit)(const struct xts_state *st, int rounds, int encrypt, const u8 tweak[16],
		     const u8 *in, u8 *out, size_t n);
};

extern const struct xts_backend_ops xts_ct64_ops;
extern const struct xts_backend_ops xts_aesni_ops;
extern const struct xts_backend_ops xts_vaes_ops;
extern const struct xts_backend_ops xts_vaes256_ops;
extern const struct xts_backend_ops xts_ct256_ops;

/* Tweak arithmetic in GF(2^128), x^128 + x^7 + x^2 + x + 1, little-endian
 * byte order as IEEE 1619 5.2 defines it (xts_gf128.c). Branch-free. */
void xts_gf_double(u8 t[16]);
void xts_gf_mul_alpha_pow(u8 t[16], u64 j);   /* t *= alpha^j */

#endif
