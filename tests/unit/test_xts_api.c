/* The XTS API contract (lib/crypto/xts.h): refusals, block-level calls,
 * sequence-number tweaks, rebinding, wiping, the self-test. */
#include "tests/unit/harness.h"
#include "tests/unit/test_xts_util.h"
#include "lib/crypto/xts_backend.h"
#include "lib/mem.h"

TEST(xts, refusals)
{
	unsigned char key[64], tw[16] = { 0 }, buf[64] = { 0 };
	unsigned long long seed = 1;
	struct xts_ctx ctx;
	test_fill(key, sizeof(key), &seed);

	EXPECT(xts_init(&ctx, key, 48, XTS_ENCRYPT, XTS_BACKEND_CT64) == XTS_ERR_KEYLEN &&
	       xts_init(&ctx, key, 16, XTS_DECRYPT, XTS_BACKEND_CT64) == XTS_ERR_KEYLEN &&
	       xts_init(&ctx, NULL, 32, XTS_DECRYPT, XTS_BACKEND_CT64) == XTS_ERR_KEYLEN,
	       "keys other than 32 or 64 bytes are refused with XTS_ERR_KEYLEN");
	unsigned char same[64];
	memcpy(same, key, 32);
	memcpy(same + 32, key, 32);
	unsigned char same128[32];
	memcpy(same128, key, 16);
	memcpy(same128 + 16, key, 16);
	EXPECT(xts_init(&ctx, same, 64, XTS_ENCRYPT, XTS_BACKEND_CT64) == XTS_ERR_WEAK_KEY &&
	       xts_init(&ctx, same, 64, XTS_ENCRYPT | XTS_DECRYPT, XTS_BACKEND_CT64) == XTS_ERR_WEAK_KEY &&
	       xts_init(&ctx, same128, 32, XTS_ENCRYPT, XTS_BACKEND_CT64) == XTS_ERR_WEAK_KEY,
	       "Key1 == Key2 is refused for encryption (XTS_ERR_WEAK_KEY), AES-128 and AES-256");
	EXPECT(xts_init(&ctx, same, 64, XTS_DECRYPT, XTS_BACKEND_CT64) == XTS_OK &&
	       xts_decrypt(&ctx, tw, buf, buf, 32) == XTS_OK,
	       "Key1 == Key2 is accepted for decryption");
	EXPECT(xts_encrypt(&ctx, tw, buf, buf, 32) == XTS_ERR_DIRECTION,
	       "a decrypt-only context refuses to encrypt (XTS_ERR_DIRECTION)");
	EXPECT(xts_init(&ctx, key, 64, XTS_ENCRYPT, XTS_BACKEND_CT64) == XTS_OK &&
	       xts_encrypt(&ctx, tw, buf, buf, 15) == XTS_ERR_LENGTH &&
	       xts_encrypt(&ctx, tw, buf, buf, 0) == XTS_ERR_LENGTH,
	       "a data unit shorter than 16 bytes is refused (XTS_ERR_LENGTH)");
	EXPECT(xts_init(&ctx, key, 64, XTS_ENCRYPT, (enum xts_backend)7) == XTS_ERR_BACKEND &&
	       xts_backend_from_name("aes-ni-fast") == -1 && xts_backend_from_name("vaes") == XTS_BACKEND_VAES,
	       "an unknown backend is refused (XTS_ERR_BACKEND)");
	EXPECT(xts_init(&ctx, key, 64, 0, XTS_BACKEND_CT64) == XTS_ERR_DIRECTION &&
	       xts_init(&ctx, key, 64, 4, XTS_BACKEND_CT64) == XTS_ERR_DIRECTION,
	       "a direction set other than ENCRYPT/DECRYPT is refused");
	xts_wipe(&ctx);
	EXPECT(mc_is_zero(&ctx, sizeof(ctx)) && xts_encrypt(&ctx, tw, buf, buf, 32) == XTS_ERR_DIRECTION,
	       "xts_wipe zeroes the whole context, which is then unusable");
	for (int be = XTS_BACKEND_AESNI; be < XTS_BACKEND_COUNT; be++) {
		if (xts_backend_supported(be)) {
			SKIP("%s is available here: its XTS_ERR_BACKEND refusal cannot be shown on this CPU",
			     xts_backend_name(be));
			continue;
		}
		EXPECT(xts_init(&ctx, key, 64, XTS_ENCRYPT, be) == XTS_ERR_BACKEND,
		       "%s unavailable (%s): refused with XTS_ERR_BACKEND", xts_backend_name(be),
		       test_backend_missing(be));
	}
}

TEST(xts, seq_tweak_and_selftest)
{
	unsigned char t[16];
	xts_tweak_from_seq(0x0102030405060708ULL, t);
	static const unsigned char want[16] = { 8, 7, 6, 5, 4, 3, 2, 1 };
	EXPECT(!memcmp(t, want, 16), "sequence number -> tweak is 128-bit little-endian (IEEE 1619 5.1)");
	for (int be = XTS_BACKEND_CT64; be < XTS_BACKEND_COUNT; be++) {
		if (!xts_backend_supported(be)) {
			SKIP("%s: self-test not run (%s)", xts_backend_name(be), test_backend_missing(be));
			EXPECT(!xts_selftest(be), "%s: xts_selftest reports false when unavailable",
			       xts_backend_name(be));
			continue;
		}
		EXPECT(xts_selftest(be), "%s: xts_selftest passes", xts_backend_name(be));
	}
}

TEST(xts, alpha_power)
{
	/* t * alpha^j by the fast paths against j plain doublings */
	unsigned long long seed = 7;
	bool ok = true;
	static const unsigned long long js[] = { 0, 1, 63, 127, 128, 129, 300, 1000, 4095 };
	for (size_t n = 0; n < ARRAY_SIZE(js); n++) {
		unsigned char a[16], b[16];
		test_fill(a, 16, &seed);
		memcpy(b, a, 16);
		xts_gf_mul_alpha_pow(a, js[n]);
		for (unsigned long long k = 0; k < js[n]; k++)
			xts_gf_double(b);
		ok &= !memcmp(a, b, 16);
	}
	/* a j beyond the doubling path: alpha^(2^64-1) * alpha == alpha^(2^63) * alpha^(2^63) */
	unsigned char x[16] = { 1 }, z[16] = { 1 };
	xts_gf_mul_alpha_pow(x, ~0ULL);
	xts_gf_double(x);
	xts_gf_mul_alpha_pow(z, 1ULL << 63);
	xts_gf_mul_alpha_pow(z, 1ULL << 63);
	EXPECT(ok && !memcmp(x, z, 16),
	       "tweak * alpha^j (IEEE 1619 5.2) matches j doublings for j up to 4095, and "
	       "alpha^(2^64-1) * alpha == alpha^(2^63) * alpha^(2^63)");
}
