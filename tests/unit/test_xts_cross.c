/* Every backend against every other on pseudo-random keys, tweaks and data:
 * lengths 16..8192 including every ciphertext-stealing remainder 1..15,
 * in place and out of place; block-level calls against whole units. */
#include "tests/unit/harness.h"
#include "tests/unit/test_xts_util.h"

static const size_t lengths[] = {
	16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 47, 48, 63, 64,
	65, 79, 80, 100, 127, 128, 129, 255, 256, 257, 271, 272, 511, 512, 513, 1000, 1024,
	2047, 2048, 4095, 4096, 4097, 4111, 8191, 8192,
};

TEST(xts, backends_agree)
{
	static unsigned char pt[8192], ref[8192], out[8192], back[8192];
	unsigned long long seed = 0x1619;
	for (int keylen = 32; keylen <= 64; keylen += 32) {
		for (int be = XTS_BACKEND_AESNI; be < XTS_BACKEND_COUNT; be++) {
			const char *name = xts_backend_name(be);
			if (!xts_backend_supported(be)) {
				SKIP("%s vs ct64, XTS-AES-%d: not run (%s)", name, keylen * 4,
				     test_backend_missing(be));
				continue;
			}
			size_t agree = 0, total = 0;
			for (size_t n = 0; n < ARRAY_SIZE(lengths); n++) {
				unsigned char key[64], tw[16];
				struct xts_ctx a, b;
				size_t len = lengths[n];
				test_fill(key, sizeof(key), &seed);
				test_fill(tw, 16, &seed);
				test_fill(pt, len, &seed);
				xts_init(&a, key, keylen, XTS_ENCRYPT | XTS_DECRYPT, XTS_BACKEND_CT64);
				xts_init(&b, key, keylen, XTS_ENCRYPT | XTS_DECRYPT, be);
				bool ok = xts_encrypt(&a, tw, pt, ref, len) == XTS_OK;
				ok &= xts_encrypt(&b, tw, pt, out, len) == XTS_OK && !memcmp(out, ref, len);
				ok &= xts_decrypt(&b, tw, ref, back, len) == XTS_OK && !memcmp(back, pt, len);
				memcpy(back, ref, len);   /* in place */
				ok &= xts_decrypt(&a, tw, back, back, len) == XTS_OK && !memcmp(back, pt, len);
				memcpy(back, pt, len);
				ok &= xts_encrypt(&b, tw, back, back, len) == XTS_OK && !memcmp(back, ref, len);
				agree += ok;
				total++;
				xts_wipe(&a);
				xts_wipe(&b);
			}
			EXPECT(agree == total,
			       "%s and ct64 agree, XTS-AES-%d, %zu/%zu lengths 16..8192 (all CTS remainders), "
			       "encrypt/decrypt, in place and not", name, keylen * 4, agree, total);
		}
	}
}

TEST(xts, block_calls_match_units)
{
	static unsigned char pt[8192], unit[8192];
	unsigned long long seed = 42;
	for (int be = XTS_BACKEND_CT64; be < XTS_BACKEND_COUNT; be++) {
		const char *name = xts_backend_name(be);
		if (!xts_backend_supported(be)) {
			SKIP("%s: block-level calls not run (%s)", name, test_backend_missing(be));
			continue;
		}
		unsigned char key[64], tw[16], blk[16], back[16];
		struct xts_ctx ctx;
		test_fill(key, sizeof(key), &seed);
		test_fill(tw, 16, &seed);
		test_fill(pt, sizeof(pt), &seed);
		xts_init(&ctx, key, 64, XTS_ENCRYPT | XTS_DECRYPT, be);
		xts_encrypt(&ctx, tw, pt, unit, sizeof(unit));
		size_t good = 0, tried = 0;
		for (unsigned j = 0; j < 512; j += (j < 140 ? 1 : 37)) {
			xts_encrypt_block(&ctx, tw, j, pt + 16 * j, blk);
			xts_decrypt_block(&ctx, tw, j, unit + 16 * j, back);
			good += !memcmp(blk, unit + 16 * j, 16) && !memcmp(back, pt + 16 * j, 16);
			tried++;
		}
		xts_wipe(&ctx);
		EXPECT(good == tried, "%s: block j alone equals block j of the 8 KiB unit, both "
		       "directions (%zu/%zu blocks, j = 0..140 and beyond)", name, good, tried);
	}
}

TEST(xts, rebind)
{
	unsigned char key[32], tw[16], pt[100], a[100], b[100];
	unsigned long long seed = 3;
	struct xts_ctx ctx;
	test_fill(key, 32, &seed);
	test_fill(tw, 16, &seed);
	test_fill(pt, sizeof(pt), &seed);
	xts_init(&ctx, key, 32, XTS_ENCRYPT | XTS_DECRYPT, XTS_BACKEND_CT64);
	xts_encrypt(&ctx, tw, pt, a, sizeof(pt));
	int rc = xts_rebind(&ctx, XTS_BACKEND_AUTO);
	bool ok = rc == XTS_OK && ctx.backend == (u32)xts_backend_best() &&
		  xts_encrypt(&ctx, tw, pt, b, sizeof(pt)) == XTS_OK && !memcmp(a, b, sizeof(a)) &&
		  xts_rebind(&ctx, XTS_BACKEND_CT64) == XTS_OK &&
		  xts_decrypt(&ctx, tw, b, b, sizeof(b)) == XTS_OK && !memcmp(b, pt, sizeof(pt));
	xts_wipe(&ctx);
	EXPECT(ok, "xts_rebind moves a context ct64 -> %s -> ct64 without the key, same results",
	       xts_backend_name(xts_backend_best()));
}
