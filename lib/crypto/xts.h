/* XTS-AES (IEEE Std 1619-2007 / NIST SP 800-38E) over AES-128/256.
 *
 * Contract (the .c files explain only why):
 *   key   = K1 || K2: K1 the data key, K2 the tweak key; 32 bytes (AES-128)
 *           or 64 bytes (AES-256).
 *   unit  = one data unit of any length >= 16 bytes; a length that is not a
 *           multiple of 16 uses ciphertext stealing (IEEE 1619 5.3.2).
 *   tweak = 16 bytes, or a data-unit sequence number written little-endian
 *           into the 16-byte tweak (IEEE 1619 5.1), see xts_tweak_from_seq.
 *   K1 == K2 is refused for encryption (XTS_ERR_WEAK_KEY, NIST SP 800-38E /
 *   FIPS 140 IG A.9) but accepted for decryption so that known-answer vectors
 *   that use equal halves can still be checked.
 * All functions return XTS_OK (0) or a negative XTS_ERR_*.
 * xts_ctx holds expanded keys: call xts_wipe() when done with it.
 * Backends: the context records the backend chosen at xts_init and checked
 * then (CPUID + OS state); en/decryption calls do not check the CPU again,
 * so a context must not be used where its backend's register state is off
 * (see xts_rebind). dirs is XTS_ENCRYPT, XTS_DECRYPT or both. */
#ifndef MC_XTS_H
#define MC_XTS_H
#include "lib/types.h"

enum xts_backend {
	XTS_BACKEND_AUTO = 0,   /* best supported: vaes, vaes256, aesni, ct256, ct64 */
	XTS_BACKEND_CT64,       /* portable constant-time bitsliced */
	XTS_BACKEND_AESNI,      /* AES-NI */
	XTS_BACKEND_VAES,       /* VAES + AVX-512 (zmm) */
	XTS_BACKEND_VAES256,    /* VAES + AVX2 (ymm), for CPUs without AVX-512 */
	XTS_BACKEND_CT256,      /* ct64's circuit on 256-bit words (AVX2), constant time */
	XTS_BACKEND_COUNT       /* values are stable: a context records one */
};

enum xts_status {
	XTS_OK            =  0,
	XTS_ERR_KEYLEN    = -1, /* key is not 32 or 64 bytes */
	XTS_ERR_WEAK_KEY  = -2, /* K1 == K2 when encrypting */
	XTS_ERR_LENGTH    = -3, /* data unit shorter than 16 bytes */
	XTS_ERR_BACKEND   = -4, /* backend unknown or not supported here */
	XTS_ERR_DIRECTION = -5, /* context was not initialised for this direction */
};

#define XTS_ENCRYPT 1
#define XTS_DECRYPT 2

/* Opaque, fixed-size so it can live on a stack or inside the model state.
 * No pointers inside: it may be copied. */
struct xts_ctx {
	u32 backend;
	u32 key_bits;
	u32 dirs;
	u32 pad;
	/* byte round keys of K1, K2 and K1-for-AESDEC (3 x 240 + 48 bytes), then
	 * the bitsliced K1, K2 (2 x 968 bytes: planes and the build they run
	 * on); see lib/crypto/xts_backend.h */
	u64 opaque[338] __attribute__((aligned(64)));
};

int  xts_init(struct xts_ctx *ctx, const u8 *key, size_t keylen, int dirs, enum xts_backend be);
int  xts_encrypt(const struct xts_ctx *ctx, const u8 tweak[16], const u8 *in, u8 *out, size_t len);
int  xts_decrypt(const struct xts_ctx *ctx, const u8 tweak[16], const u8 *in, u8 *out, size_t len);
/* Block-level: en/decrypt the 16-byte block number j (0-based) of the data
 * unit whose tweak is given, without ciphertext stealing (what a memory
 * engine needs: a cache line is four such blocks). */
int  xts_encrypt_block(const struct xts_ctx *ctx, const u8 tweak[16], u64 j, const u8 in[16], u8 out[16]);
int  xts_decrypt_block(const struct xts_ctx *ctx, const u8 tweak[16], u64 j, const u8 in[16], u8 out[16]);
void xts_tweak_from_seq(u64 seq, u8 tweak[16]);
void xts_wipe(struct xts_ctx *ctx);
/* Move an initialised context to another backend (AUTO = best now), e.g.
 * after the kernel has enabled SIMD state (x86_simd_enable) for a context
 * the UEFI stage set up, or to compare backends on one key. The key is not
 * needed again. XTS_ERR_BACKEND leaves the context as it was. */
int  xts_rebind(struct xts_ctx *ctx, enum xts_backend be);

const char      *xts_backend_name(enum xts_backend be);   /* "ct64" "aesni" "vaes" "vaes256" "ct256" */
bool             xts_backend_supported(enum xts_backend be);
/* Why a backend cannot run here ("" if it can), for SKIP/UNAVAILABLE lines. */
const char      *xts_backend_missing(enum xts_backend be);
enum xts_backend xts_backend_best(void);
int              xts_backend_from_name(const char *name);  /* enum, or -1 */
const char      *xts_strerror(int err);

/* Known-answer self-test of one backend (a few IEEE 1619 vectors); the
 * kernel runs it before any suite that depends on the engine. */
bool xts_selftest(enum xts_backend be);

#endif
