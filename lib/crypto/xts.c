/* The single entry point of XTS-AES: argument checks, backend selection,
 * key hygiene, the tweak, and ciphertext stealing (IEEE Std 1619-2007 5.3,
 * 5.4). Backends only ever see whole 16-byte blocks. */
#include "lib/crypto/xts_backend.h"
#include "lib/crypto/aes_keysched.h"
#include "lib/crypto/cpu_features.h"
#include "lib/mem.h"

_Static_assert(sizeof(struct xts_state) <= sizeof(((struct xts_ctx *)0)->opaque),
	       "xts_ctx.opaque too small for the backend state");

static const struct xts_backend_ops *const backends[XTS_BACKEND_COUNT] = {
	[XTS_BACKEND_CT64]  = &xts_ct64_ops,
	[XTS_BACKEND_AESNI] = &xts_aesni_ops,
	[XTS_BACKEND_VAES]  = &xts_vaes_ops,
	[XTS_BACKEND_VAES256] = &xts_vaes256_ops,
	[XTS_BACKEND_CT256] = &xts_ct256_ops,
};

/* Fastest first (measured: docs/crypto.md). zmm VAES before ymm VAES: on
 * CPUs with both, four blocks per instruction beat two. */
static const enum xts_backend by_speed[] = {
	XTS_BACKEND_VAES, XTS_BACKEND_VAES256, XTS_BACKEND_AESNI, XTS_BACKEND_CT256, XTS_BACKEND_CT64,
};

static struct xts_state *state_of(struct xts_ctx *ctx)
{
	return (struct xts_state *)ctx->opaque;
}

static const struct xts_state *cstate_of(const struct xts_ctx *ctx)
{
	return (const struct xts_state *)ctx->opaque;
}

static int rounds_of(const struct xts_ctx *ctx)
{
	return ctx->key_bits == 256 ? 14 : 10;
}

const char *xts_backend_name(enum xts_backend be)
{
	if (be == XTS_BACKEND_AUTO)
		return "auto";
	if ((unsigned)be >= XTS_BACKEND_COUNT)
		return "unknown";
	return backends[be]->name;
}

int xts_backend_from_name(const char *name)
{
	if (!name)
		return -1;
	if (!mc_strcmp(name, "auto"))
		return XTS_BACKEND_AUTO;
	for (int be = 1; be < XTS_BACKEND_COUNT; be++)
		if (!mc_strcmp(name, backends[be]->name))
			return be;
	return -1;
}

bool xts_backend_supported(enum xts_backend be)
{
	if (be == XTS_BACKEND_AUTO)
		return true;
	if ((unsigned)be >= XTS_BACKEND_COUNT)
		return false;
	return backends[be]->supported();
}

const char *xts_backend_missing(enum xts_backend be)
{
	if (be == XTS_BACKEND_AUTO)
		return "";
	if ((unsigned)be >= XTS_BACKEND_COUNT)
		return "unknown backend";
	return backends[be]->supported() ? "" : cpu_features_missing(backends[be]->needs);
}

enum xts_backend xts_backend_best(void)
{
	for (size_t i = 0; i < sizeof(by_speed) / sizeof(by_speed[0]); i++)
		if (xts_backend_supported(by_speed[i]))
			return by_speed[i];
	return XTS_BACKEND_CT64;
}

const char *xts_strerror(int err)
{
	switch (err) {
	case XTS_OK:            return "ok";
	case XTS_ERR_KEYLEN:    return "key must be 32 bytes (XTS-AES-128) or 64 bytes (XTS-AES-256)";
	case XTS_ERR_WEAK_KEY:  return "Key1 equals Key2: refused for encryption (NIST SP 800-38E)";
	case XTS_ERR_LENGTH:    return "data unit shorter than 16 bytes";
	case XTS_ERR_BACKEND:   return "backend unknown or not supported on this CPU";
	case XTS_ERR_DIRECTION: return "context not initialised for this direction";
	default:                return "unknown XTS error";
	}
}

/* Equality of the key halves without an early exit on the first differing
 * byte, so the time does not tell how much of K1 matches K2. */
static bool halves_equal(const u8 *a, const u8 *b, size_t n)
{
	u8 diff = 0;
	for (size_t i = 0; i < n; i++)
		diff |= a[i] ^ b[i];
	return diff == 0;
}

void xts_wipe(struct xts_ctx *ctx)
{
	if (ctx)
		mc_wipe(ctx, sizeof(*ctx));
}

static int resolve_backend(enum xts_backend be, enum xts_backend *out)
{
	if (be == XTS_BACKEND_AUTO)
		be = xts_backend_best();
	if ((unsigned)be >= XTS_BACKEND_COUNT || !backends[be]->supported())
		return XTS_ERR_BACKEND;
	*out = be;
	return XTS_OK;
}

int xts_init(struct xts_ctx *ctx, const u8 *key, size_t keylen, int dirs, enum xts_backend be)
{
	enum xts_backend chosen;
	int rc;

	if (!ctx)
		return XTS_ERR_DIRECTION;
	xts_wipe(ctx);   /* a failed init leaves no usable (or stale) context */
	if (!key || (keylen != 32 && keylen != 64))
		return XTS_ERR_KEYLEN;
	if (dirs == 0 || (dirs & ~(XTS_ENCRYPT | XTS_DECRYPT)))
		return XTS_ERR_DIRECTION;
	rc = resolve_backend(be, &chosen);
	if (rc)
		return rc;
	size_t half = keylen / 2;
	if ((dirs & XTS_ENCRYPT) && halves_equal(key, key + half, half))
		return XTS_ERR_WEAK_KEY;

	struct xts_state *st = state_of(ctx);
	int rounds = aes_expand_key(st->rk1, key, half);
	aes_expand_key(st->rk2, key + half, half);
	ctx->backend = chosen;
	ctx->key_bits = (u32)(half * 8);
	ctx->dirs = (u32)dirs;
	backends[chosen]->setup(st, rounds, dirs);
	return XTS_OK;
}

int xts_rebind(struct xts_ctx *ctx, enum xts_backend be)
{
	enum xts_backend chosen;
	if (!ctx || !ctx->dirs)
		return XTS_ERR_DIRECTION;
	int rc = resolve_backend(be, &chosen);
	if (rc)
		return rc;
	struct xts_state *st = state_of(ctx);
	/* drop the old backend's derived keys; the byte schedules stay */
	mc_wipe(st->dk1, sizeof(st->dk1));
	mc_wipe(&st->ct1, sizeof(st->ct1));
	mc_wipe(&st->ct2, sizeof(st->ct2));
	ctx->backend = chosen;
	backends[chosen]->setup(st, rounds_of(ctx), (int)ctx->dirs);
	return XTS_OK;
}

/* IEEE 1619 5.1: the tweak is the data-unit sequence number as a 128-bit
 * little-endian integer. */
void xts_tweak_from_seq(u64 seq, u8 tweak[16])
{
	for (int i = 0; i < 16; i++)
		tweak[i] = i < 8 ? (u8)(seq >> (8 * i)) : 0;
}

static int check(const struct xts_ctx *ctx, int dir, const void *tweak, const void *in,
		 const void *out)
{
	if (!ctx || !(ctx->dirs & (u32)dir) || ctx->backend == XTS_BACKEND_AUTO ||
	    ctx->backend >= XTS_BACKEND_COUNT)
		return XTS_ERR_DIRECTION;
	if (!tweak || !in || !out)
		return XTS_ERR_LENGTH;
	return XTS_OK;
}

/* IEEE 1619 5.3 (encryption) and 5.4 (decryption) of one data unit. */
static int crypt_unit(const struct xts_ctx *ctx, int encrypt, const u8 tweak[16],
		      const u8 *in, u8 *out, size_t len)
{
	int rc = check(ctx, encrypt ? XTS_ENCRYPT : XTS_DECRYPT, tweak, in, out);
	if (rc)
		return rc;
	if (len < 16)
		return XTS_ERR_LENGTH;

	const struct xts_backend_ops *ops = backends[ctx->backend];
	const struct xts_state *st = cstate_of(ctx);
	int rounds = rounds_of(ctx);
	size_t m = len / 16, r = len % 16;
	u8 t[16], t_prev[16], last[16], steal[16];

	if (!r && ops->unit) {
		ops->unit(st, rounds, encrypt, tweak, in, out, m);
		return XTS_OK;
	}
	ops->tweak(st, rounds, tweak, t);
	if (!r) {
		/* the common case wipes only what it used: byte-wise volatile
		 * wipes of unused buffers were a tenth of a 512-byte unit */
		ops->blocks(st, rounds, encrypt, t, in, out, m);
		mc_wipe(t, sizeof(t));
		return XTS_OK;
	}
	/* Ciphertext stealing: the last full block m-1 and the r-byte tail. */
	ops->blocks(st, rounds, encrypt, t, in, out, m - 1);
	const u8 *in_last = in + 16 * (m - 1), *in_tail = in + 16 * m;
	u8 *out_last = out + 16 * (m - 1), *out_tail = out + 16 * m;
	if (encrypt) {
		/* CC = enc(P_(m-1), T_(m-1)); C_m = first r bytes of CC;
		 * C_(m-1) = enc(P_m || rest of CC, T_m)  (5.3.2) */
		ops->blocks(st, rounds, 1, t, in_last, last, 1);   /* t is now T_m */
		mc_memcpy(steal, in_tail, r);
		mc_memcpy(steal + r, last + r, 16 - r);
		mc_memcpy(out_tail, last, r);
		ops->blocks(st, rounds, 1, t, steal, out_last, 1);
	} else {
		/* PP = dec(C_(m-1), T_m); P_m = first r bytes of PP;
		 * P_(m-1) = dec(C_m || rest of PP, T_(m-1))  (5.4.2) */
		mc_memcpy(t_prev, t, 16);
		xts_gf_double(t);
		ops->blocks(st, rounds, 0, t, in_last, last, 1);
		mc_memcpy(steal, in_tail, r);
		mc_memcpy(steal + r, last + r, 16 - r);
		mc_memcpy(out_tail, last, r);
		ops->blocks(st, rounds, 0, t_prev, steal, out_last, 1);
	}
	mc_wipe(t, sizeof(t));
	mc_wipe(t_prev, sizeof(t_prev));
	mc_wipe(last, sizeof(last));
	mc_wipe(steal, sizeof(steal));
	return XTS_OK;
}

int xts_encrypt(const struct xts_ctx *ctx, const u8 tweak[16], const u8 *in, u8 *out, size_t len)
{
	return crypt_unit(ctx, 1, tweak, in, out, len);
}

int xts_decrypt(const struct xts_ctx *ctx, const u8 tweak[16], const u8 *in, u8 *out, size_t len)
{
	return crypt_unit(ctx, 0, tweak, in, out, len);
}

/* Block j alone: T_j = E_K2(tweak) * alpha^j (IEEE 1619 5.2), then XEX. */
static int crypt_block(const struct xts_ctx *ctx, int encrypt, const u8 tweak[16], u64 j,
		       const u8 in[16], u8 out[16])
{
	int rc = check(ctx, encrypt ? XTS_ENCRYPT : XTS_DECRYPT, tweak, in, out);
	if (rc)
		return rc;
	const struct xts_backend_ops *ops = backends[ctx->backend];
	const struct xts_state *st = cstate_of(ctx);
	u8 t[16];
	ops->tweak(st, rounds_of(ctx), tweak, t);
	xts_gf_mul_alpha_pow(t, j);
	ops->blocks(st, rounds_of(ctx), encrypt, t, in, out, 1);
	mc_wipe(t, sizeof(t));
	return XTS_OK;
}

int xts_encrypt_block(const struct xts_ctx *ctx, const u8 tweak[16], u64 j, const u8 in[16], u8 out[16])
{
	return crypt_block(ctx, 1, tweak, j, in, out);
}

int xts_decrypt_block(const struct xts_ctx *ctx, const u8 tweak[16], u64 j, const u8 in[16], u8 out[16])
{
	return crypt_block(ctx, 0, tweak, j, in, out);
}
